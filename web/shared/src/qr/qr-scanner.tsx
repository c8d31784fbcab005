import { type ChangeEvent, useEffect, useRef, useState } from 'react';
import { referenceFromScan } from './scanned-reference.ts';

/** What the scanner says, in the app's language. */
export interface QrScannerText {
  /** Heading of the camera's view, read by screen readers. */
  title: string;
  starting: string;
  /** Shown while the camera looks: hold the code in the frame. */
  looking: string;
  /** The camera cannot be used (no camera, permission refused, or an insecure page). */
  noCamera: string;
  /** A code was read but carries no booking reference. */
  notAReference: string;
  /** A photo was chosen and holds no readable code. */
  noCodeInPhoto: string;
  photo: string;
  close: string;
}

/** How often a frame of the camera is searched for a code. */
const FRAME_MS = 200;
/** Frames are searched at most this wide: enough for a code held up to the camera, and fast on a phone. */
const MAX_WIDTH = 640;

type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

let decoder: Promise<Decode> | null = null;
/** The QR decoder, loaded when the first scan starts, so that the app's first load does not carry it. */
function loadDecoder(): Promise<Decode> {
  decoder ??= import('jsqr').then((module) => module.default as unknown as Decode);
  return decoder;
}

/** Searches a picture (a camera frame or a photo) for a QR code, scaled down to at most MAX_WIDTH. */
async function readCode(source: CanvasImageSource, width: number, height: number, canvas: HTMLCanvasElement) {
  if (width === 0 || height === 0) return null;
  const scale = Math.min(1, MAX_WIDTH / width);
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return null;
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  const image = context.getImageData(0, 0, canvas.width, canvas.height);
  const decode = await loadDecoder();
  return decode(image.data, image.width, image.height)?.data ?? null;
}

/**
 * Reads a booking's QR code with the device's camera (the back one on a phone) and hands over the
 * reference it carries. Where the camera cannot be used, a photo of the code can be chosen instead;
 * the typed reference is the fallback beside it in the page.
 */
export function QrScanner(props: {
  text: QrScannerText;
  onReference: (reference: string) => void;
  onClose: () => void;
}) {
  const { text, onReference, onClose } = props;
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<'starting' | 'looking' | 'no-camera'>('starting');
  const [problem, setProblem] = useState<string | null>(null);
  const found = useRef(onReference);
  found.current = onReference;

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    const look = async () => {
      const v = video.current;
      const c = canvas.current;
      if (stopped || !v || !c) return;
      try {
        const content = await readCode(v, v.videoWidth, v.videoHeight, c);
        const reference = content === null ? null : referenceFromScan(content);
        if (reference) {
          stopped = true;
          found.current(reference);
          return;
        }
        if (content !== null) setProblem(text.notAReference);
      } catch {
        // A frame not ready yet; the next one is tried.
      }
      if (!stopped) timer = setTimeout(look, FRAME_MS);
    };
    const start = async () => {
      try {
        if (!navigator.mediaDevices?.getUserMedia) throw new Error('no camera here');
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        if (stopped) return;
        const v = video.current;
        if (!v) return;
        v.srcObject = stream;
        await v.play();
        setState('looking');
        await loadDecoder();
        await look();
      } catch {
        if (!stopped) setState('no-camera');
      }
    };
    void start();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [text.notAReference]);

  const readPhoto = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    const c = canvas.current;
    if (!file || !c) return;
    setProblem(null);
    try {
      const bitmap = await createImageBitmap(file);
      const content = await readCode(bitmap, bitmap.width, bitmap.height, c);
      const reference = content === null ? null : referenceFromScan(content);
      if (reference) onReference(reference);
      else setProblem(content === null ? text.noCodeInPhoto : text.notAReference);
    } catch {
      setProblem(text.noCodeInPhoto);
    }
  };

  return (
    <section className="qr-scanner" aria-label={text.title}>
      <div className="qr-scanner-view">
        <video ref={video} muted playsInline tabIndex={-1} hidden={state !== 'looking'} />
        <canvas ref={canvas} hidden />
      </div>
      <p role="status" className="qr-scanner-state">
        {state === 'starting' ? text.starting : state === 'looking' ? text.looking : text.noCamera}
      </p>
      {problem ? (
        <p role="alert" className="field-error">
          {problem}
        </p>
      ) : null}
      <div className="qr-scanner-actions">
        <label className="button button-secondary qr-scanner-photo">
          {text.photo}
          <input type="file" accept="image/*" capture="environment" onChange={readPhoto} />
        </label>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {text.close}
        </button>
      </div>
    </section>
  );
}
