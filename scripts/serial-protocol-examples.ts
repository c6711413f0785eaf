// Makes the byte-exact example frames of docs/serial-protocol.md §11 with the real encoder and
// writes them between the doc's `examples` markers (or prints them with --print):
//   npx tsx scripts/serial-protocol-examples.ts
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeFrame, encodeJsonPayload, fingerprintInput, FrameType, PROTOCOL_VERSION } from '../common/serial';

const key = '4c1a9f2e-7b3d-4e8a-9c61-0f5d2b7a3e19';
const secret = 'EXAMPLE-secret-not-real-0123456789abcdef';
const fp = createHash('sha256').update(fingerprintInput(key, secret)).digest('hex');
const slot = { deviceId: '65f1c0de4b1d2a0012345678', key, keyId: '65f1c0de4b1d2a0087654321', fp: fp.slice(0, 16) };

const examples: Array<{ title: string; type: FrameType; id: number; body: Record<string, unknown>; version?: number }> =
  [
    { title: 'hello request, id 1', type: FrameType.request, id: 1, body: { op: 'hello' } },
    {
      title: 'hello reply, id 1 (a fresh device: no credentials yet)',
      type: FrameType.reply,
      id: 1,
      body: {
        ok: true,
        proto: 1,
        model: 'KL-ESP32',
        hwid: 'A4CF12B3C4D5',
        fw: '2.3.1',
        caps: ['test', 'identify', 'log'],
        maxPayload: 16384,
        clock: { unix: 1767225600, valid: true },
        uptimeMs: 5123,
        boots: 3,
        slots: { active: null, staged: null, previous: null, pending: false },
      },
    },
    {
      title: 'stage request, id 2 (carries the secret: never traced or logged)',
      type: FrameType.request,
      id: 2,
      body: {
        op: 'stage',
        deviceId: slot.deviceId,
        key,
        keyId: slot.keyId,
        secret,
        apiUrl: 'https://api.losant.com',
      },
    },
    {
      title: 'stage reply, id 2',
      type: FrameType.reply,
      id: 2,
      body: { ok: true, fp, slots: { active: null, staged: slot, previous: null, pending: false } },
    },
    {
      title: 'test request, id 3',
      type: FrameType.request,
      id: 3,
      body: { op: 'test', slot: 'staged', nonce: 'n-7Hq2Lw9xZ4' },
    },
    {
      title: 'test reply, id 3 (both steps passed)',
      type: FrameType.reply,
      id: 3,
      body: {
        ok: true,
        slot: 'staged',
        passed: true,
        steps: [
          { step: 'auth', status: 200, ms: 184 },
          { step: 'state', status: 200, ms: 97 },
        ],
      },
    },
    { title: 'commit request, id 4', type: FrameType.request, id: 4, body: { op: 'commit' } },
    {
      title: 'error reply to a commit with nothing staged, id 4',
      type: FrameType.reply,
      id: 4,
      body: { ok: false, error: { code: 'NO_STAGED', message: 'nothing is staged' } },
    },
    {
      title: 'boot event (id 0), sent once after every start',
      type: FrameType.event,
      id: 0,
      body: { event: 'boot', proto: 1, reason: 'power-on', boots: 4 },
    },
    {
      title: 'a version 0 device refusing a version 1 request, id 5 (header version byte 0)',
      type: FrameType.reply,
      id: 5,
      version: 0,
      body: { ok: false, error: { code: 'VERSION_UNSUPPORTED', message: 'speaks protocol 0' }, supported: [0] },
    },
  ];

function hexRows(bytes: Uint8Array): string {
  const rows: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    rows.push([...bytes.subarray(at, at + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' '));
  }
  return rows.join('\n');
}

const blocks: string[] = [];
for (const example of examples) {
  const payload = encodeJsonPayload(example.body);
  const frame = encodeFrame({
    version: example.version ?? PROTOCOL_VERSION,
    type: example.type,
    id: example.id,
    payload,
  });
  blocks.push(
    `#### ${example.title}\n\n\`\`\`text\njson: ${JSON.stringify(example.body)}\nframe (${frame.length} bytes):\n${hexRows(frame)}\n\`\`\``,
  );
}
const section = blocks.join('\n\n');

if (process.argv.includes('--print')) {
  console.log(`fingerprint input: "${key}:${secret}"\nfingerprint: ${fp}\n\n${section}`);
} else {
  const doc = path.join(__dirname, '..', 'docs', 'serial-protocol.md');
  const text = readFileSync(doc, 'utf8');
  const start = '<!-- examples:start -->';
  const end = '<!-- examples:end -->';
  const before = text.slice(0, text.indexOf(start) + start.length);
  const after = text.slice(text.indexOf(end));
  writeFileSync(doc, `${before}\n\n${section}\n\n${after}`);
  console.log(`wrote ${blocks.length} examples to ${doc}`);
}
