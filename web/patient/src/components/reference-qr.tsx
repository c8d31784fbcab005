import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/index.ts';

/** The dark modules of a QR code as one SVG path, one unit square each, rows merged into runs. */
function modulesPath(modules: readonly (readonly boolean[])[]): string {
  let path = '';
  modules.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x++;
      path += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  });
  return path;
}

/**
 * A booking reference as a QR code, for the centre to scan at check-in. The encoder is loaded when
 * the first code is drawn, so the app's first visit does not carry it; until then, and should it fail
 * to load, the reference printed beside the code is what counts.
 */
export function ReferenceQr({ reference }: { reference: string }) {
  const { t } = useI18n();
  const [modules, setModules] = useState<boolean[][] | null>(null);
  useEffect(() => {
    let current = true;
    import('uqr').then(
      ({ encode }) => {
        // Quartile error correction: a code on a cracked or dim phone screen still reads.
        if (current) setModules(encode(reference, { ecc: 'Q', border: 2 }).data);
      },
      () => {},
    );
    return () => {
      current = false;
    };
  }, [reference]);
  if (!modules) return <div className="qr qr-pending" aria-hidden="true" />;
  const size = modules.length;
  return (
    <svg
      className="qr"
      role="img"
      aria-label={t('booked.qr', { reference })}
      viewBox={`0 0 ${size} ${size}`}
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={modulesPath(modules)} fill="#000" />
    </svg>
  );
}
