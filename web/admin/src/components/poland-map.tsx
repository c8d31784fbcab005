import { POLAND_BOX } from '../lib/voivodeships.ts';

const WIDTH = 200;
/** The box's height in proportion at Poland's latitude (a degree of longitude is about 0.61 of one of latitude). */
const HEIGHT = Math.round(
  (WIDTH * (POLAND_BOX.north - POLAND_BOX.south)) /
    ((POLAND_BOX.east - POLAND_BOX.west) * Math.cos((52 * Math.PI) / 180)),
);

/** Where a point falls in the map's box, or null outside it. */
export function mapPosition(lat: number, lon: number): { x: number; y: number } | null {
  if (lat < POLAND_BOX.south || lat > POLAND_BOX.north || lon < POLAND_BOX.west || lon > POLAND_BOX.east) return null;
  return {
    x: ((lon - POLAND_BOX.west) / (POLAND_BOX.east - POLAND_BOX.west)) * WIDTH,
    y: ((POLAND_BOX.north - lat) / (POLAND_BOX.north - POLAND_BOX.south)) * HEIGHT,
  };
}

/**
 * Poland's bounding box drawn small, with a graticule every two degrees and the point given: enough
 * to see a latitude and a longitude swapped or a centre placed at the other end of the country. No
 * map tiles: it is drawn from the coordinates alone.
 */
export function PolandMap({ lat, lon, label }: { lat: number | null; lon: number | null; label: string }) {
  const at = lat !== null && lon !== null ? mapPosition(lat, lon) : null;
  const lines: number[] = [];
  for (let d = 16; d <= 24; d += 2) lines.push(d);
  return (
    <svg className="poland-map" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
      <rect x="0.5" y="0.5" width={WIDTH - 1} height={HEIGHT - 1} className="map-frame" />
      {lines.map((d) => {
        const x = ((d - POLAND_BOX.west) / (POLAND_BOX.east - POLAND_BOX.west)) * WIDTH;
        return <line key={`lon${d}`} x1={x} x2={x} y1={0} y2={HEIGHT} className="map-grid" />;
      })}
      {[50, 52, 54].map((d) => {
        const y = ((POLAND_BOX.north - d) / (POLAND_BOX.north - POLAND_BOX.south)) * HEIGHT;
        return <line key={`lat${d}`} x1={0} x2={WIDTH} y1={y} y2={y} className="map-grid" />;
      })}
      {at ? <circle cx={at.x} cy={at.y} r="5" className="map-point" data-testid="map-point" /> : null}
    </svg>
  );
}
