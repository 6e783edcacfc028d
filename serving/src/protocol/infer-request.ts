import { z } from 'zod';
import { BadRequestError, UnsupportedDatatypeError } from '../errors';
import { binaryElementSize, readBinaryTensor, readBytesElements, type InferBody } from './binary-tensor';
import { datatypeSpec, isSupported, PROTOCOL_DATATYPES, SUPPORTED_DATATYPES, type TensorData } from './datatypes';
import { elementCount, formatShape, isBatchable, type ModelSignature, type TensorSpec, type TensorValue } from './signature';

const parametersSchema = z.record(z.string(), z.unknown()).optional();
const requestSchema = z.object({
  id: z.string().optional(),
  parameters: parametersSchema,
  inputs: z
    .array(
      z.object({
        name: z.string().min(1),
        shape: z.array(z.number().int().nonnegative()),
        datatype: z.enum(PROTOCOL_DATATYPES),
        parameters: parametersSchema,
        data: z.unknown().optional(),
      }),
    )
    .min(1),
  outputs: z.array(z.object({ name: z.string().min(1), parameters: parametersSchema })).optional(),
});
type RequestInput = z.infer<typeof requestSchema>['inputs'][number];

export interface DecodeOptions {
  /** Accept NaN / ±Infinity in floating-point inputs (as JSON overflow like 1e999 or the strings "NaN", "Infinity", "-Infinity"). */
  readonly allowNonFinite: boolean;
}

export interface DecodedInferRequest {
  readonly id?: string;
  readonly inputs: ReadonlyMap<string, TensorValue>;
  /** Output names to return, in the order asked; every output when the request names none. */
  readonly outputs: readonly string[];
  /** Outputs to return as binary data (binary tensor data extension): `binary_data` per output, else `binary_data_output`. */
  readonly binaryOutputs: ReadonlySet<string>;
  /** Size of dimension 0 shared by all inputs of a batchable model, else 1. */
  readonly rows: number;
}

const NO_BINARY_OUTPUTS: ReadonlySet<string> = new Set();

/**
 * Parses and validates an Open Inference Protocol infer request against the model's signature: a JSON body, or a body
 * split by the binary tensor data extension (`splitInferBody`), whose inputs may carry `parameters.binary_data_size`.
 */
export function decodeInferRequest(body: string | InferBody, signature: ModelSignature, options: DecodeOptions): DecodedInferRequest {
  const { json, binary } = typeof body === 'string' ? { json: body, binary: undefined } : body;
  if (json === undefined) return decodeRawBinaryRequest(binary!, signature, options);
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(json);
  } catch (error) {
    throw new BadRequestError(`malformed JSON${binary === undefined ? '' : ' in the inference header'}: ${(error as Error).message}`);
  }
  const parsed = requestSchema.safeParse(parsedJson);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue.path.length > 0 ? issue.path.join('.') : 'request';
    throw new BadRequestError(`invalid infer request at ${at}: ${issue.message}`);
  }
  const request = parsed.data;
  const { specs, outputNames, allOutputs } = indexOf(signature);
  const inputs = new Map<string, TensorValue>();
  let binaryOffset = 0;
  for (const input of request.inputs) {
    const spec = specs.get(input.name);
    if (spec === undefined) {
      throw new BadRequestError(`unknown input '${input.name}'; the model expects: ${[...specs.keys()].join(', ')}`);
    }
    if (inputs.has(input.name)) throw new BadRequestError(`input '${input.name}' is given more than once`);
    checkTensorHeader(input, spec);
    const size = binaryDataSize(input);
    if (size === undefined) {
      inputs.set(input.name, decodeJsonTensor(input, spec, options));
      continue;
    }
    if (binary === undefined) {
      throw new BadRequestError(
        `input '${input.name}' has parameters.binary_data_size but the request has no Inference-Header-Content-Length header (without it the whole body is JSON)`,
      );
    }
    if (input.data !== undefined) throw new BadRequestError(`input '${input.name}' has both data and parameters.binary_data_size; send one`);
    if (binaryOffset + size > binary.length) {
      throw new BadRequestError(
        `input '${input.name}': binary_data_size ${size} at offset ${binaryOffset} runs past the ${binary.length} bytes of binary data after the inference header`,
      );
    }
    inputs.set(input.name, decodeBinaryTensor(input, spec, binary.subarray(binaryOffset, binaryOffset + size), options));
    binaryOffset += size;
  }
  if (binary !== undefined && binaryOffset !== binary.length) {
    throw new BadRequestError(
      `${binary.length - binaryOffset} bytes of binary data after the inference header belong to no input (the inputs' binary_data_size add up to ${binaryOffset} of ${binary.length})`,
    );
  }
  const missing = signature.inputs.filter((spec) => !inputs.has(spec.name)).map((spec) => spec.name);
  if (missing.length > 0) throw new BadRequestError(`missing input(s): ${missing.join(', ')}`);

  const binaryByDefault = booleanParameter(request.parameters, 'binary_data_output', 'request') ?? false;
  const requested = request.outputs ?? allOutputs;
  let binaryOutputs = NO_BINARY_OUTPUTS;
  for (const output of requested) {
    if (!outputNames.has(output.name)) throw new BadRequestError(`unknown output '${output.name}'; the model has: ${[...outputNames].join(', ')}`);
    if (booleanParameter(output.parameters, 'binary_data', `output '${output.name}'`) ?? binaryByDefault) {
      if (binaryOutputs === NO_BINARY_OUTPUTS) binaryOutputs = new Set();
      (binaryOutputs as Set<string>).add(output.name);
    }
  }
  return { id: request.id, inputs, outputs: requested.map((output) => output.name), binaryOutputs, rows: batchRows(inputs, signature) };
}

interface SignatureIndex {
  readonly specs: ReadonlyMap<string, TensorSpec>;
  readonly outputNames: ReadonlySet<string>;
  /** Every output, as a request that names none asks for them. */
  readonly allOutputs: readonly { readonly name: string; readonly parameters?: Record<string, unknown> }[];
}

/** Lookups of a signature, built once per loaded model version instead of on every request. */
const indexes = new WeakMap<ModelSignature, SignatureIndex>();

function indexOf(signature: ModelSignature): SignatureIndex {
  let index = indexes.get(signature);
  if (index === undefined) {
    index = {
      specs: new Map(signature.inputs.map((spec) => [spec.name, spec])),
      outputNames: new Set(signature.outputs.map((spec) => spec.name)),
      allOutputs: signature.outputs.map((spec) => ({ name: spec.name })),
    };
    indexes.set(signature, index);
  }
  return index;
}

/** `binary_data_size` of an input: undefined when absent; a 400 unless a non-negative integer. */
function binaryDataSize(input: RequestInput): number | undefined {
  const size = input.parameters?.binary_data_size;
  if (size === undefined) return undefined;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new BadRequestError(`input '${input.name}': parameters.binary_data_size must be a non-negative integer, got ${JSON.stringify(size)}`);
  }
  return size;
}

function booleanParameter(parameters: Record<string, unknown> | undefined, key: string, where: string): boolean | undefined {
  const value = parameters?.[key];
  if (value === undefined || typeof value === 'boolean') return value;
  throw new BadRequestError(`${where}: parameters.${key} must be true or false, got ${JSON.stringify(value)}`);
}

/**
 * A raw binary request (`Inference-Header-Content-Length: 0`): the body is the data of the model's only input, whose
 * shape has at most one dynamic dimension, deduced from the data; every output comes back as binary data.
 */
function decodeRawBinaryRequest(binary: Buffer, signature: ModelSignature, options: DecodeOptions): DecodedInferRequest {
  if (signature.inputs.length !== 1) {
    throw new BadRequestError(
      `a raw binary request (Inference-Header-Content-Length: 0) needs a model with one input; this one has ${signature.inputs.length}`,
    );
  }
  const spec = signature.inputs[0];
  assertSupported(spec);
  const dynamic = spec.shape.filter((dim) => dim === -1).length;
  if (dynamic > 1) {
    throw new BadRequestError(`a raw binary request needs an input with at most one dynamic dimension; '${spec.name}' has shape ${formatShape(spec.shape)}`);
  }
  const fixed = elementCount(spec.shape.filter((dim) => dim !== -1));
  const elementSize = binaryElementSize(spec.datatype);
  const elements = elementSize === undefined ? readBytesElements(spec.name, binary, Number.MAX_SAFE_INTEGER).length : binary.length / elementSize;
  const dynamicDim = dynamic === 0 ? 1 : elements / fixed;
  if (!Number.isInteger(elements) || !Number.isInteger(dynamicDim) || fixed * dynamicDim !== elements) {
    throw new BadRequestError(
      `input '${spec.name}': ${binary.length} bytes of raw binary data are not a whole ${spec.datatype} tensor of shape ${formatShape(spec.shape)}`,
    );
  }
  const shape = spec.shape.map((dim) => (dim === -1 ? dynamicDim : dim));
  const data = readBinaryTensor(spec.name, spec.datatype, shape, binary, options.allowNonFinite);
  const inputs = new Map([[spec.name, { datatype: spec.datatype, shape, data }]]);
  const outputs = signature.outputs.map((output) => output.name);
  return { inputs, outputs, binaryOutputs: new Set(outputs), rows: batchRows(inputs, signature) };
}
function batchRows(inputs: ReadonlyMap<string, TensorValue>, signature: ModelSignature): number {
  if (!isBatchable(signature)) return 1;
  const leading = new Set([...inputs.values()].map((tensor) => tensor.shape[0]));
  if (leading.size > 1) throw new BadRequestError(`all inputs must have the same size in dimension 0, got ${[...leading].join(' and ')}`);
  return [...leading][0];
}

function assertSupported(spec: TensorSpec): void {
  if (!isSupported(spec.datatype)) {
    throw new UnsupportedDatatypeError(
      `input '${spec.name}' needs datatype ${spec.datatype}, which this server does not support (supported: ${SUPPORTED_DATATYPES.join(', ')})`,
    );
  }
}

/** Datatype and shape of a request input against the model's: the same checks for JSON and binary data. */
function checkTensorHeader(input: RequestInput, spec: TensorSpec): void {
  assertSupported(spec);
  if (input.datatype !== spec.datatype) {
    throw new BadRequestError(`input '${spec.name}': datatype mismatch: expected ${spec.datatype}, got ${input.datatype}`);
  }
  const shapeMatches = input.shape.length === spec.shape.length && spec.shape.every((dim, i) => dim === -1 || dim === input.shape[i]);
  if (!shapeMatches) {
    throw new BadRequestError(`input '${spec.name}': shape mismatch: expected ${formatShape(spec.shape)}, got ${formatShape(input.shape)}`);
  }
}

function decodeJsonTensor(input: RequestInput, spec: TensorSpec, options: DecodeOptions): TensorValue {
  const values = flatten(input.data, spec.name);
  const expected = elementCount(input.shape);
  if (values.length !== expected) {
    throw new BadRequestError(`input '${spec.name}': shape ${formatShape(input.shape)} needs ${expected} elements, got ${values.length}`);
  }
  return { datatype: spec.datatype, shape: input.shape, data: toTensorData(values, spec, options) };
}

function decodeBinaryTensor(input: RequestInput, spec: TensorSpec, bytes: Buffer, options: DecodeOptions): TensorValue {
  const elementSize = binaryElementSize(spec.datatype);
  if (elementSize !== undefined) {
    const expected = elementCount(input.shape) * elementSize;
    if (bytes.length !== expected) {
      throw new BadRequestError(
        `input '${spec.name}': shape ${formatShape(input.shape)} of ${spec.datatype} needs ${expected} bytes (${elementCount(input.shape)} × ${elementSize}), binary_data_size is ${bytes.length}`,
      );
    }
  }
  return { datatype: spec.datatype, shape: input.shape, data: readBinaryTensor(spec.name, spec.datatype, input.shape, bytes, options.allowNonFinite) };
}

function flatten(data: unknown, name: string): unknown[] {
  if (!Array.isArray(data)) throw new BadRequestError(`input '${name}': data must be an array (flat or nested, row-major)`);
  if (!data.some(Array.isArray)) return data;
  return data.flat(Infinity as 1);
}

const NON_FINITE_TOKENS: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

function toTensorData(values: unknown[], spec: TensorSpec, options: DecodeOptions): TensorData {
  const datatype = datatypeSpec(spec.datatype);
  const fail = (index: number, why: string): never => {
    const shown = typeof values[index] === 'number' ? String(values[index]) : JSON.stringify(values[index]);
    throw new BadRequestError(`input '${spec.name}' element ${index} (${shown}) ${why}`);
  };
  if (datatype.kind === 'bytes') {
    return values.map((value, i) => {
      if (typeof value !== 'string') fail(i, 'is not a string (BYTES)');
      if ((value as string).includes('\u0000')) fail(i, "contains a NUL character, which onnxruntime's string tensors cannot carry");
      return value as string;
    });
  }
  const { kind, create, min, max } = datatype;
  const out = create(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    switch (kind) {
      case 'float': {
        let number = typeof value === 'number' ? value : undefined;
        if (typeof value === 'string' && options.allowNonFinite && value in NON_FINITE_TOKENS) number = NON_FINITE_TOKENS[value];
        if (number === undefined) fail(i, `is not a number (${spec.datatype})`);
        (out as Float32Array)[i] = number!;
        if (!options.allowNonFinite && !Number.isFinite(out[i])) {
          fail(i, `is not finite in ${spec.datatype}; NaN and Infinity are rejected unless the model config sets allowNonFinite`);
        }
        break;
      }
      case 'int':
      case 'bigint': {
        if (typeof value !== 'number' || !Number.isInteger(value)) fail(i, `is not an integer (${spec.datatype})`);
        if ((value as number) < min! || (value as number) > max!) fail(i, `is out of range for ${spec.datatype} [${min}, ${max}]`);
        if (kind === 'bigint') (out as BigInt64Array)[i] = BigInt(value as number);
        else (out as Int32Array)[i] = value as number;
        break;
      }
      case 'bool': {
        if (typeof value === 'boolean') (out as Uint8Array)[i] = value ? 1 : 0;
        else if (value === 0 || value === 1) (out as Uint8Array)[i] = value;
        else fail(i, 'is not a boolean (BOOL)');
        break;
      }
    }
  }
  return out;
}
