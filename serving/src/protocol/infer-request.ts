import { z } from 'zod';
import { BadRequestError, UnsupportedDatatypeError } from '../errors';
import { datatypeSpec, isSupported, PROTOCOL_DATATYPES, SUPPORTED_DATATYPES, type TypedArray } from './datatypes';
import { elementCount, formatShape, isBatchable, type ModelSignature, type TensorSpec, type TensorValue } from './signature';

const requestSchema = z.object({
  id: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  inputs: z
    .array(
      z.object({
        name: z.string().min(1),
        shape: z.array(z.number().int().nonnegative()),
        datatype: z.enum(PROTOCOL_DATATYPES),
        parameters: z.record(z.string(), z.unknown()).optional(),
        data: z.unknown(),
      }),
    )
    .min(1),
  outputs: z.array(z.object({ name: z.string().min(1), parameters: z.record(z.string(), z.unknown()).optional() })).optional(),
});

export interface DecodeOptions {
  /** Accept NaN / ±Infinity in floating-point inputs (as JSON overflow like 1e999 or the strings "NaN", "Infinity", "-Infinity"). */
  readonly allowNonFinite: boolean;
}

export interface DecodedInferRequest {
  readonly id?: string;
  readonly inputs: ReadonlyMap<string, TensorValue>;
  /** Output names to return, in the order asked; every output when the request names none. */
  readonly outputs: readonly string[];
  /** Size of dimension 0 shared by all inputs of a batchable model, else 1. */
  readonly rows: number;
}

/** Parses and validates an Open Inference Protocol infer request against the model's signature. */
export function decodeInferRequest(body: string, signature: ModelSignature, options: DecodeOptions): DecodedInferRequest {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new BadRequestError(`malformed JSON: ${(error as Error).message}`);
  }
  const parsed = requestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue.path.length > 0 ? issue.path.join('.') : 'request';
    throw new BadRequestError(`invalid infer request at ${at}: ${issue.message}`);
  }
  const request = parsed.data;
  const specs = new Map(signature.inputs.map((spec) => [spec.name, spec]));
  const inputs = new Map<string, TensorValue>();
  for (const input of request.inputs) {
    const spec = specs.get(input.name);
    if (spec === undefined) {
      throw new BadRequestError(`unknown input '${input.name}'; the model expects: ${[...specs.keys()].join(', ')}`);
    }
    if (inputs.has(input.name)) throw new BadRequestError(`input '${input.name}' is given more than once`);
    inputs.set(input.name, decodeTensor(input, spec, options));
  }
  const missing = signature.inputs.filter((spec) => !inputs.has(spec.name)).map((spec) => spec.name);
  if (missing.length > 0) throw new BadRequestError(`missing input(s): ${missing.join(', ')}`);

  const outputNames = new Set(signature.outputs.map((spec) => spec.name));
  const outputs = request.outputs?.map((output) => output.name) ?? [...outputNames];
  for (const name of outputs) {
    if (!outputNames.has(name)) throw new BadRequestError(`unknown output '${name}'; the model has: ${[...outputNames].join(', ')}`);
  }
  return { id: request.id, inputs, outputs, rows: batchRows(inputs, signature) };
}

function batchRows(inputs: ReadonlyMap<string, TensorValue>, signature: ModelSignature): number {
  if (!isBatchable(signature)) return 1;
  const leading = new Set([...inputs.values()].map((tensor) => tensor.shape[0]));
  if (leading.size > 1) throw new BadRequestError(`all inputs must have the same size in dimension 0, got ${[...leading].join(' and ')}`);
  return [...leading][0];
}

function decodeTensor(
  input: { name: string; shape: number[]; datatype: TensorSpec['datatype']; data: unknown },
  spec: TensorSpec,
  options: DecodeOptions,
): TensorValue {
  if (!isSupported(spec.datatype)) {
    throw new UnsupportedDatatypeError(
      `input '${spec.name}' needs datatype ${spec.datatype}, which this server does not support (supported: ${SUPPORTED_DATATYPES.join(', ')})`,
    );
  }
  if (input.datatype !== spec.datatype) {
    throw new BadRequestError(`input '${spec.name}': datatype mismatch: expected ${spec.datatype}, got ${input.datatype}`);
  }
  const shapeMatches =
    input.shape.length === spec.shape.length && spec.shape.every((dim, i) => dim === -1 || dim === input.shape[i]);
  if (!shapeMatches) {
    throw new BadRequestError(`input '${spec.name}': shape mismatch: expected ${formatShape(spec.shape)}, got ${formatShape(input.shape)}`);
  }
  const values = flatten(input.data, spec.name);
  const expected = elementCount(input.shape);
  if (values.length !== expected) {
    throw new BadRequestError(`input '${spec.name}': shape ${formatShape(input.shape)} needs ${expected} elements, got ${values.length}`);
  }
  return { datatype: spec.datatype, shape: input.shape, data: toTypedArray(values, spec, options) };
}

function flatten(data: unknown, name: string): unknown[] {
  if (!Array.isArray(data)) throw new BadRequestError(`input '${name}': data must be an array (flat or nested, row-major)`);
  if (!data.some(Array.isArray)) return data;
  return data.flat(Infinity as 1);
}

const NON_FINITE_TOKENS: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

function toTypedArray(values: unknown[], spec: TensorSpec, options: DecodeOptions): TypedArray {
  const { kind, create, min, max } = datatypeSpec(spec.datatype);
  const out = create(values.length);
  const fail = (index: number, why: string): never => {
    const shown = typeof values[index] === 'number' ? String(values[index]) : JSON.stringify(values[index]);
    throw new BadRequestError(`input '${spec.name}' element ${index} (${shown}) ${why}`);
  };
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
