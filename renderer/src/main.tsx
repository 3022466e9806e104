import './styles/tokens.css';
import './styles/base.css';
import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { hasBridge } from './api.ts';
import { resolveLanguage } from './format.ts';
import { applyLanguage, initI18n } from './i18n/index.ts';
import { BridgeMissing } from './screens/BridgeMissing.tsx';

// Until the settings arrive, the OS language.
const lang = resolveLanguage('system', navigator.language);
initI18n(lang);
applyLanguage(lang);

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(<StrictMode>{hasBridge() ? <App /> : <BridgeMissing />}</StrictMode>);
}
