import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConfig, runCheck } from '../../gateway/cli/check';

const DEMO = join(__dirname, '..', '..', 'config', 'demo.yaml');

function capture(): { write(s: string): boolean; text(): string } {
  const chunks: string[] = [];
  return {
    write(s: string) {
      chunks.push(s);
      return true;
    },
    text: () => chunks.join(''),
  };
}

describe('tollgate check', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tollgate-check-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 on the demo config', () => {
    const out = capture();
    expect(runCheck(DEMO, out)).toBe(0);
    expect(checkConfig(DEMO).ok).toBe(true);
  });

  it('prints every issue on its own line with its path and exits 1', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        'connectors:',
        '  - { id: a, protocol: smpp, host: h, port: 1, systemId: gw, windowSize: 0 }',
        'routes:',
        "  - { id: r, prefix: '', targets: [zz] }",
        '',
      ].join('\n'),
    );
    const out = capture();
    const err = capture();
    expect(runCheck(file, out, err)).toBe(1);
    const lines = err.text().trimEnd().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^connectors\[0\]\.windowSize: /),
        expect.stringMatching(/^routes\[0\]\.targets\[0\]: /),
      ]),
    );
    expect(checkConfig(file).issues).toHaveLength(2);
    expect(out.text()).toBe('');
  });

  it('exits 1 on a missing file', () => {
    const err = capture();
    expect(runCheck(join(dir, 'missing.yaml'), err)).toBe(1);
    expect(err.text().split('\n')[0]).toMatch(/^.*missing\.yaml: /);
  });
});
