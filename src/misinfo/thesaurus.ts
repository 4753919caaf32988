export const CONCEPTS: readonly string[][] = [
  ['impfung', 'impfstoff', 'spritze', 'vaccine', 'jab'],
];
