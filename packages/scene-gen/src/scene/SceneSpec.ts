/**
 * One object placed in a room: which asset, where. Plain data (JSON, workers).
 */
export interface PlacedObject {
  /** Asset id, "<synset>/<model>". */
  assetId: string;
  category: string;
  /** Local-to-world 4x4, row-major, including the uniform scale; metres, +Y up. */
  transform: number[];
}

/** Lights of a view pair: one ambient (hemisphere) term and a few directional or point lights. */
export interface Lighting {
  /** Hemisphere light: sky colour from above, ground colour from below, sRGB [0, 1]. */
  hemisphere: { sky: [number, number, number]; ground: [number, number, number]; intensity: number };
  directional: { direction: [number, number, number]; color: [number, number, number]; intensity: number }[];
  point: { position: [number, number, number]; color: [number, number, number]; intensity: number }[];
}

/**
 * A composed scene as plain data: a room, the objects placed in it (instance id i+1 is objects[i];
 * 0 is the room) and its lighting. The renderer and the ray caster both build from this.
 */
export interface SceneSpec {
  roomId: string;
  objects: PlacedObject[];
  lighting: Lighting;
  /** Floor height in world metres (y). */
  floorY: number;
}
