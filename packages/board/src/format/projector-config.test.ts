import { describe, expect, it } from 'vitest';
import { formatProjectorConfig, parseProjectorConfig } from './projector-config.js';

describe('projector_config.pbtxt', () => {
  it('formats as Python text_format does', () => {
    const text = formatProjectorConfig({
      embeddings: [
        {
          tensorName: 'default:00000',
          tensorPath: '00000/default/tensors.tsv',
          metadataPath: '00000/default/metadata.tsv',
          sprite: { imagePath: '00000/default/sprite.png', singleImageDim: [28, 28] },
        },
      ],
    });
    expect(text).toBe(
      'embeddings {\n  tensor_name: "default:00000"\n  metadata_path: "00000/default/metadata.tsv"\n  sprite {\n' +
        '    image_path: "00000/default/sprite.png"\n    single_image_dim: 28\n    single_image_dim: 28\n  }\n' +
        '  tensor_path: "00000/default/tensors.tsv"\n}\n',
    );
  });

  it('parses what it formats, escapes included', () => {
    const config = { embeddings: [{ tensorName: 'a "b"\\c\né', tensorPath: 'x/t.tsv' }, { tensorName: 'two', tensorShape: [3, 4] }] };
    expect(parseProjectorConfig(formatProjectorConfig(config))).toEqual(config);
  });

  it('parses comments, angle brackets and separators', () => {
    const c = parseProjectorConfig('# c\nembeddings < tensor_name: \'t\'; sprite { image_path: "s.png" single_image_dim: [4, 5] } >\n');
    expect(c.embeddings).toEqual([{ tensorName: 't', sprite: { imagePath: 's.png', singleImageDim: [4, 5] } }]);
  });

  it('names the line of an error', () => {
    expect(() => parseProjectorConfig('embeddings {\n tensor_name "x"\n')).toThrow(/line 2/);
  });
});
