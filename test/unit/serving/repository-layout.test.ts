import { latestVersions, selectVersions } from '../../../serving/src/repository/repository-layout';

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

describe('selectVersions', () => {
  const files = [file('a/1/model.onnx'), file('a/2/model.onnx'), file('a/3/config.json'), file('b/9/model.onnx')];

  it('latest: the newest complete version of every model', () => {
    expect(selectVersions(files, { kind: 'latest' }).map((v) => `${v.model}/${v.version}`)).toEqual(['a/2', 'b/9']);
  });

  it('pinned: exactly the pinned version of the pinned model, even when newer ones exist', () => {
    expect(selectVersions(files, { kind: 'pinned', model: 'a', version: '1' }).map((v) => `${v.model}/${v.version}`)).toEqual(['a/1']);
  });

  it('pinned to an absent or incomplete version, or to none: nothing', () => {
    expect(selectVersions(files, { kind: 'pinned', model: 'a', version: '3' })).toEqual([]);
    expect(selectVersions(files, { kind: 'pinned', model: 'a', version: undefined })).toEqual([]);
  });
});
