// Plain JavaScript on purpose: it must run, and explain itself, on a Node too old for the TypeScript sources.
export function assertNodeVersion(command) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 18)) return;
  console.error(
    `${command}: Node.js ${process.versions.node} is too old; Coffre needs Node.js 22.18 or newer (24 LTS recommended).`,
  );
  process.exit(1);
}
