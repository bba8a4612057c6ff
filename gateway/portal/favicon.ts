/**
 * The portal's icon: a white tick on the header's blue, as SVG for browsers that take it from the
 * page's `<link rel="icon">`, and as a 16×16 ICO built here for the `/favicon.ico` every browser
 * asks for unprompted (no binary file in the repository, and no runtime API beyond typed arrays).
 * The SVG uses presentation attributes, no `style`, so the CSP holds when it is opened alone.
 */
export const faviconSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">
<rect width="32" height="32" rx="6" fill="#0b3a6e"/>
<path d="M8 16.5l5.5 5.5L24 10.5" fill="none" stroke="#ffffff" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
`;

/** The tick at 16×16, top row first: `#` blue, `o` white, `.` transparent corners. */
const PIXELS = [
  '.##############.',
  '################',
  '################',
  '############oo##',
  '###########ooo##',
  '##########ooo###',
  '#########ooo####',
  '##oo####ooo#####',
  '##ooo##ooo######',
  '###oooooo#######',
  '####oooo########',
  '#####oo#########',
  '################',
  '################',
  '################',
  '.##############.',
];

const COLOURS: Readonly<Record<string, readonly [number, number, number, number]>> = {
  '#': [0x6e, 0x3a, 0x0b, 0xff], // BGRA of #0b3a6e
  o: [0xff, 0xff, 0xff, 0xff],
  '.': [0, 0, 0, 0],
};

/**
 * An ICO file holding one 16×16 32-bit bitmap: the 6-byte header, one 16-byte directory entry,
 * a 40-byte BITMAPINFOHEADER (height doubled for the AND mask), the pixels bottom row first, and
 * an all-zero AND mask (the alpha channel decides transparency).
 */
function buildIco(): Uint8Array<ArrayBuffer> {
  const size = 16;
  const pixelBytes = size * size * 4;
  const maskBytes = size * 4; // 16 bits a row, padded to 32
  const imageBytes = 40 + pixelBytes + maskBytes;
  const bytes = new Uint8Array(6 + 16 + imageBytes);
  const view = new DataView(bytes.buffer);
  view.setUint16(2, 1, true); // type: icon
  view.setUint16(4, 1, true); // one image
  bytes[6] = size;
  bytes[7] = size;
  view.setUint16(10, 1, true); // colour planes
  view.setUint16(12, 32, true); // bits per pixel
  view.setUint32(14, imageBytes, true);
  view.setUint32(18, 22, true); // offset of the image
  view.setUint32(22, 40, true); // BITMAPINFOHEADER
  view.setInt32(26, size, true);
  view.setInt32(30, size * 2, true);
  view.setUint16(34, 1, true);
  view.setUint16(36, 32, true);
  view.setUint32(42, pixelBytes + maskBytes, true);
  let at = 62;
  for (const row of [...PIXELS].reverse()) {
    for (const pixel of row) {
      bytes.set(COLOURS[pixel] ?? [0, 0, 0, 0], at);
      at += 4;
    }
  }
  return bytes;
}

export const faviconIco: Uint8Array<ArrayBuffer> = buildIco();
