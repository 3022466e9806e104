/**
 * French élision before a name: "l’approbation d’Alice", "de Maurice". Names starting with a vowel
 * (or a mute h, which names usually have) take d’; addresses and IDs never do.
 */
const VOWEL_START = /^[aeiouyhàâäéèêëîïôöùûü]/i;

export function frenchDe(name: string): string {
  if (!VOWEL_START.test(name) || /^https?:/i.test(name) || /^[0-9a-f]{8}-/i.test(name)) return `de ${name}`;
  return `d’${name}`;
}
