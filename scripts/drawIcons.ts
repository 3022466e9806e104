/**
 * Draws Coffre's placeholder icons as PNG files under build/ (a safe door with a dial), with no
 * image tool: shapes are signed-distance functions, anti-aliased by coverage, written as RGBA PNG.
 *   build/icon.png                    1024×1024, electron-builder derives .ico/.icns/Linux sizes
 *   build/tray/tray.png               32×32, Windows and Linux tray
 *   build/tray/trayTemplate@2x.png    32×32 black + alpha, macOS menu-bar template (16 pt)
 * Run: node scripts/drawIcons.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

type Rgba = readonly [number, number, number, number];
/** Signed distance in icon units (0..1 across the image); negative inside. */
type Sdf = (x: number, y: number) => number;
interface Layer {
  sdf: Sdf;
  color: Rgba | ((x: number, y: number) => Rgba);
}

const roundedBox =
  (cx: number, cy: number, halfW: number, halfH: number, radius: number): Sdf =>
  (x, y) => {
    const qx = Math.abs(x - cx) - halfW + radius;
    const qy = Math.abs(y - cy) - halfH + radius;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
  };
const circle =
  (cx: number, cy: number, r: number): Sdf =>
  (x, y) =>
    Math.hypot(x - cx, y - cy) - r;
const stroke =
  (shape: Sdf, width: number): Sdf =>
  (x, y) =>
    Math.abs(shape(x, y)) - width / 2;
const segment =
  (ax: number, ay: number, bx: number, by: number, r: number): Sdf =>
  (x, y) => {
    const px = x - ax;
    const py = y - ay;
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
    return Math.hypot(px - dx * t, py - dy * t) - r;
  };
const union =
  (...shapes: Sdf[]): Sdf =>
  (x, y) =>
    Math.min(...shapes.map((shape) => shape(x, y)));

function render(size: number, layers: readonly Layer[]): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const layer of layers) {
        const coverage = Math.max(0, Math.min(1, 0.5 - layer.sdf(x, y) * size));
        if (coverage === 0) continue;
        const color = typeof layer.color === 'function' ? layer.color(x, y) : layer.color;
        const alpha = (color[3] / 255) * coverage;
        const outA = alpha + a * (1 - alpha);
        if (outA > 0) {
          r = (color[0] * alpha + r * a * (1 - alpha)) / outA;
          g = (color[1] * alpha + g * a * (1 - alpha)) / outA;
          b = (color[2] * alpha + b * a * (1 - alpha)) / outA;
        }
        a = outA;
      }
      const offset = (py * size + px) * 4;
      pixels[offset] = Math.round(r);
      pixels[offset + 1] = Math.round(g);
      pixels[offset + 2] = Math.round(b);
      pixels[offset + 3] = Math.round(a * 255);
    }
  }
  return encodePng(size, size, pixels);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const TEAL_TOP: Rgba = [21, 94, 117, 255];
const TEAL_BOTTOM: Rgba = [12, 52, 66, 255];
const DOOR: Rgba = [226, 243, 247, 255];
const BRASS: Rgba = [244, 190, 92, 255];
const BLACK: Rgba = [0, 0, 0, 255];

const gradient = (x: number, y: number): Rgba => {
  const t = Math.max(0, Math.min(1, (y - 0.1) / 0.8));
  void x;
  return [0, 1, 2, 3].map((i) => (TEAL_TOP[i] ?? 0) * (1 - t) + (TEAL_BOTTOM[i] ?? 0) * t) as unknown as Rgba;
};

/** The app icon: macOS-grid rounded square (824/1024), door outline, hinges, dial with handle. */
function appIcon(): Layer[] {
  const dial = circle(0.5, 0.5, 0.165);
  return [
    { sdf: roundedBox(0.5, 0.5, 0.4023, 0.4023, 0.09), color: gradient },
    { sdf: stroke(roundedBox(0.5, 0.5, 0.3, 0.3, 0.05), 0.034), color: DOOR },
    { sdf: roundedBox(0.2, 0.36, 0.02, 0.05, 0.012), color: DOOR },
    { sdf: roundedBox(0.2, 0.64, 0.02, 0.05, 0.012), color: DOOR },
    { sdf: stroke(dial, 0.034), color: DOOR },
    {
      sdf: union(
        segment(0.5, 0.5, 0.5, 0.385, 0.017),
        segment(0.5, 0.5, 0.6, 0.558, 0.017),
        segment(0.5, 0.5, 0.4, 0.558, 0.017),
      ),
      color: DOOR,
    },
    { sdf: circle(0.5, 0.5, 0.045), color: BRASS },
  ];
}

/** Small sizes: a filled square with a bold dial (the door outline would blur into it). */
function trayIcon(color: Rgba | null): Layer[] {
  const glyph = color ?? DOOR;
  const body = color
    ? [{ sdf: stroke(roundedBox(0.5, 0.5, 0.42, 0.42, 0.1), 0.09), color: glyph }]
    : [{ sdf: roundedBox(0.5, 0.5, 0.46, 0.46, 0.12), color: gradient }];
  return [
    ...body,
    { sdf: stroke(circle(0.5, 0.5, 0.2), 0.09), color: color ?? DOOR },
    { sdf: circle(0.5, 0.5, 0.07), color: color ?? BRASS },
  ];
}

const root = path.resolve(import.meta.dirname, '..', 'build');
const outputs: Array<[string, number, Layer[]]> = [
  ['icon.png', 1024, appIcon()],
  ['tray/tray.png', 32, trayIcon(null)],
  ['tray/trayTemplate@2x.png', 32, trayIcon(BLACK)],
];
for (const [file, size, layers] of outputs) {
  const target = path.join(root, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, render(size, layers));
  console.log(`${path.relative(process.cwd(), target)} ${size}×${size}`);
}
