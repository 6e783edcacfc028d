import { latestVersions } from '../../../serving/src/repository/repository-layout';

const file = (path: string, fingerprint = 'f') => ({ path, fingerprint });

describe('latestVersions', () => {
  it('picks the highest numeric version holding a model.onnx, per model', () => {
    const result = latestVersions([
      file('a/1/model.onnx'),
      file('a/10/model.onnx', 'ten'),
      file('a/9/model.onnx'),
      file('a/11/config.json'), // no model.onnx: not a version
      file('b/3/model.onnx', 'm'),
      file('b/3/config.json', 'c'),
    ]);
    expect(result).toEqual([
      { model: 'a', version: '10', fingerprint: 'ten|', hasConfig: false },
      { model: 'b', version: '3', fingerprint: 'm|c', hasConfig: true },
    ]);
  });

  it('ignores files outside the {model}/{version}/file layout and non-numeric versions', () => {
    expect(
      latestVersions([file('README.md'), file('a/latest/model.onnx'), file('a/1/extra/model.onnx'), file('a/1/weights.bin'), file('.hidden/1/model.onnx')]),
    ).toEqual([]);
  });

  it('changes the fingerprint when config.json changes', () => {
    const before = latestVersions([file('a/1/model.onnx', 'm'), file('a/1/config.json', 'c1')]);
    const after = latestVersions([file('a/1/model.onnx', 'm'), file('a/1/config.json', 'c2')]);
    expect(before[0]!.fingerprint).not.toBe(after[0]!.fingerprint);
  });
});
