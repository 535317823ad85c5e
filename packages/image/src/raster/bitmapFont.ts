import { type Rgb, type RgbImage, fillRect } from './RgbImage.ts';

// A 5x7 pixel font for printable ASCII (32..126), the classic character-LCD shapes, typed in by hand.
// Why not a package: pureimage needs a TrueType file that npm does not ship (the system fonts differ per
// machine), jimp's print plugin is asynchronous, works on its own image objects and pulls a dozen
// packages, and the small pixel-font packages are barely maintained. This is 95 x 5 bytes.
// Each glyph is 5 columns, left to right; bit i of a column (LSB first) is row i from the top.
const GLYPHS = [
  '0000000000',
  '00005f0000',
  '0007000700',
  '147f147f14',
  '242a7f2a12',
  '2313086462',
  '3649552250',
  '0005030000',
  '001c224100',
  '0041221c00',
  '082a1c2a08',
  '08083e0808',
  '0050300000',
  '0808080808',
  '0060600000',
  '2010080402',
  '3e5149453e',
  '00427f4000',
  '4261514946',
  '2141454b31',
  '1814127f10',
  '2745454539',
  '3c4a494930',
  '0171090503',
  '3649494936',
  '064949291e',
  '0036360000',
  '0056360000',
  '0814224100',
  '1414141414',
  '0041221408',
  '0201510906',
  '324979413e',
  '7e1111117e',
  '7f49494936',
  '3e41414122',
  '7f4141221c',
  '7f49494941',
  '7f09090101',
  '3e41415132',
  '7f0808087f',
  '00417f4100',
  '2040413f01',
  '7f08142241',
  '7f40404040',
  '7f0204027f',
  '7f0408107f',
  '3e4141413e',
  '7f09090906',
  '3e4151215e',
  '7f09192946',
  '4649494931',
  '01017f0101',
  '3f4040403f',
  '1f2040201f',
  '7f2018207f',
  '6314081463',
  '0304780403',
  '6151494543',
  '007f414100',
  '0204081020',
  '0041417f00',
  '0402010204',
  '4040404040',
  '0001020400',
  '2054545478',
  '7f48444438',
  '3844444420',
  '384444487f',
  '3854545418',
  '087e090102',
  '081454543c',
  '7f08040478',
  '00447d4000',
  '2040443d00',
  '007f102844',
  '00417f4000',
  '7c0418047c',
  '7c08040478',
  '3844444438',
  '7c14141408',
  '081414187c',
  '7c08040408',
  '4854545420',
  '043f444020',
  '3c4040207c',
  '1c2040201c',
  '3c4030403c',
  '4428102844',
  '0c5050503c',
  '4464544c44',
  '0008364100',
  '00007f0000',
  '0041360800',
  '0804081008',
];

/** Glyph cell size in font pixels: 5 wide plus 1 of spacing, 7 tall plus 1 of spacing. */
export const FONT_CELL = { width: 6, height: 8 } as const;

/** Options of `drawText`. */
export interface TextOptions {
  /** Size of one font pixel in picture pixels (integer >= 1). */
  scale: number;
  /** Colour of the box behind the text (padded by one font pixel), or null for none. */
  background: Rgb | null;
}

/** Defaults of `drawText`: scale 1, no background. */
export const DEFAULT_TEXT_OPTIONS: TextOptions = { scale: 1, background: null };

/** Width in picture pixels that `drawText` covers for `text` at `scale` (no trailing spacing). */
export function textWidth(text: string, scale = 1): number {
  return text.length === 0 ? 0 : (text.length * FONT_CELL.width - 1) * scale;
}

/**
 * Draws one line of text with its top-left corner at (x, y), picture pixels. Characters outside
 * printable ASCII are drawn as '?'. Mutates `image` (clipped); returns the width drawn.
 */
export function drawText(
  image: RgbImage,
  text: string,
  x: number,
  y: number,
  colour: Rgb,
  options: Partial<TextOptions> = {},
): number {
  const { scale, background } = { ...DEFAULT_TEXT_OPTIONS, ...options };
  const width = textWidth(text, scale);
  if (background) fillRect(image, x - scale, y - scale, width + 2 * scale, 9 * scale, background);
  for (let c = 0; c < text.length; c++) {
    let code = text.charCodeAt(c);
    if (code < 32 || code > 126) code = 63;
    const glyph = GLYPHS[code - 32];
    for (let col = 0; col < 5; col++) {
      const bits = Number.parseInt(glyph.slice(col * 2, col * 2 + 2), 16);
      for (let row = 0; row < 7; row++) {
        if (bits & (1 << row)) {
          fillRect(image, x + (c * FONT_CELL.width + col) * scale, y + row * scale, scale, scale, colour);
        }
      }
    }
  }
  return width;
}
