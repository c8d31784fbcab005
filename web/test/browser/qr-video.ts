import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'uqr';

/**
 * A short video of a QR code held up to a camera, in the raw YUV4MPEG2 format Chromium's fake camera
 * plays in a loop (`--use-file-for-fake-video-capture`): the code of `text`, black on white in the
 * middle of a 640×480 picture, on a grey background. Answers the file's path.
 */
export function qrCameraVideo(text: string, frames = 5): string {
  const width = 640;
  const height = 480;
  const { data: modules } = encode(text, { ecc: 'Q', border: 4 });
  const size = modules.length;
  const scale = Math.floor(360 / size);
  const left = Math.floor((width - size * scale) / 2);
  const top = Math.floor((height - size * scale) / 2);
  const luma = Buffer.alloc(width * height, 128);
  for (let y = 0; y < size * scale; y++) {
    for (let x = 0; x < size * scale; x++) {
      const dark = modules[Math.floor(y / scale)]?.[Math.floor(x / scale)] === true;
      luma[(top + y) * width + left + x] = dark ? 16 : 235;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const path = join(mkdtempSync(join(tmpdir(), 'ereg-qr-')), 'camera.y4m');
  writeFileSync(path, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
  return path;
}

/** Chromium's flags for a fake camera that shows `video` and asks no permission. */
export function fakeCameraFlags(video: string): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ];
}
