// What server reflection needs to know of each file in a FileDescriptorSet: its name, imports, and
// the full names it declares. The file's bytes are kept exactly as protoc wrote them, so a client
// gets protoc's descriptor (field names, json_name, map entries, options) and not a re-encoding.
// Field numbers are descriptor.proto's (google/protobuf/descriptor.proto).
import { MalformedDescriptorError } from './errors.js';
import { WIRE_LEN, WIRE_VARINT, wireFields, wireString, type WireField } from './wire-reader.js';

/** FileDescriptorSet */
const SET_FILE = 1;
/** FileDescriptorProto */
const FILE_NAME = 1;
const FILE_PACKAGE = 2;
const FILE_DEPENDENCY = 3;
const FILE_MESSAGE_TYPE = 4;
const FILE_ENUM_TYPE = 5;
const FILE_SERVICE = 6;
const FILE_EXTENSION = 7;
/** DescriptorProto */
const MESSAGE_NAME = 1;
const MESSAGE_FIELD = 2;
const MESSAGE_NESTED_TYPE = 3;
const MESSAGE_ENUM_TYPE = 4;
const MESSAGE_EXTENSION = 6;
const MESSAGE_ONEOF_DECL = 8;
/** FieldDescriptorProto */
const FIELD_NAME = 1;
const FIELD_EXTENDEE = 2;
const FIELD_NUMBER = 3;
/** EnumDescriptorProto, ServiceDescriptorProto and their values and methods: the name is field 1, the members field 2. */
const NAME = 1;
const MEMBERS = 2;

export interface Extension {
  /** Full name of the extended message, without a leading dot. */
  readonly extendee: string;
  readonly number: number;
  /** Full name of the extension field. */
  readonly name: string;
}

export interface DescribedFile {
  /** As imported, e.g. mooring/v1/machines.proto. */
  readonly name: string;
  readonly package: string;
  /** The serialized FileDescriptorProto as protoc wrote it. */
  readonly bytes: Uint8Array;
  /** The files it imports, by name, in declaration order. */
  readonly dependencies: readonly string[];
  /**
   * Every full name the file declares (no leading dot): messages (nested too), their fields and
   * oneofs, enums and their values (scoped beside their enum, as protobuf scopes them), services,
   * methods and extensions.
   */
  readonly symbols: readonly string[];
  /** Full names of the message types it declares, nested ones included. */
  readonly messages: readonly string[];
  readonly services: readonly string[];
  readonly extensions: readonly Extension[];
}

/** The files of a serialized FileDescriptorSet, in the order the set holds them. */
export function readDescriptorSet(bytes: Uint8Array): DescribedFile[] {
  const files: DescribedFile[] = [];
  for (const field of wireFields(bytes)) {
    if (field.number === SET_FILE) files.push(readFileDescriptor(lengthDelimited(field, 'FileDescriptorSet.file')));
  }
  return files;
}

/** One serialized FileDescriptorProto. */
export function readFileDescriptor(bytes: Uint8Array): DescribedFile {
  let name = '';
  let pkg = '';
  const dependencies: string[] = [];
  const messageFields: Uint8Array[] = [];
  const enumFields: Uint8Array[] = [];
  const serviceFields: Uint8Array[] = [];
  const extensionFields: Uint8Array[] = [];
  for (const field of wireFields(bytes)) {
    switch (field.number) {
      case FILE_NAME:
        name = wireString(field);
        break;
      case FILE_PACKAGE:
        pkg = wireString(field);
        break;
      case FILE_DEPENDENCY:
        dependencies.push(wireString(field));
        break;
      case FILE_MESSAGE_TYPE:
        messageFields.push(lengthDelimited(field, 'FileDescriptorProto.message_type'));
        break;
      case FILE_ENUM_TYPE:
        enumFields.push(lengthDelimited(field, 'FileDescriptorProto.enum_type'));
        break;
      case FILE_SERVICE:
        serviceFields.push(lengthDelimited(field, 'FileDescriptorProto.service'));
        break;
      case FILE_EXTENSION:
        extensionFields.push(lengthDelimited(field, 'FileDescriptorProto.extension'));
        break;
    }
  }
  if (name === '') throw new MalformedDescriptorError('a FileDescriptorProto without a name');
  // Names are scoped by the package's name; a file without a package declares at the top.
  const scope = pkg === '' ? '' : `${pkg}.`;
  const found: Found = { symbols: [], messages: [], services: [], extensions: [] };
  for (const message of messageFields) readMessage(message, scope, pkg, found);
  for (const enumType of enumFields) readEnum(enumType, scope, found);
  for (const service of serviceFields) readService(service, scope, found);
  for (const extension of extensionFields) readExtension(extension, scope, pkg, found);
  return { name, package: pkg, bytes, dependencies, ...found };
}

interface Found {
  symbols: string[];
  messages: string[];
  services: string[];
  extensions: Extension[];
}

function readMessage(bytes: Uint8Array, scope: string, pkg: string, found: Found): void {
  const name = nameOf(bytes, MESSAGE_NAME, 'DescriptorProto');
  const full = scope + name;
  found.symbols.push(full);
  found.messages.push(full);
  const inner = `${full}.`;
  for (const field of wireFields(bytes)) {
    switch (field.number) {
      case MESSAGE_FIELD:
        found.symbols.push(inner + nameOf(lengthDelimited(field, 'DescriptorProto.field'), FIELD_NAME, 'FieldDescriptorProto'));
        break;
      case MESSAGE_ONEOF_DECL:
        found.symbols.push(inner + nameOf(lengthDelimited(field, 'DescriptorProto.oneof_decl'), NAME, 'OneofDescriptorProto'));
        break;
      case MESSAGE_NESTED_TYPE:
        readMessage(lengthDelimited(field, 'DescriptorProto.nested_type'), inner, pkg, found);
        break;
      case MESSAGE_ENUM_TYPE:
        readEnum(lengthDelimited(field, 'DescriptorProto.enum_type'), inner, found);
        break;
      case MESSAGE_EXTENSION:
        readExtension(lengthDelimited(field, 'DescriptorProto.extension'), inner, pkg, found);
        break;
    }
  }
}

function readEnum(bytes: Uint8Array, scope: string, found: Found): void {
  found.symbols.push(scope + nameOf(bytes, NAME, 'EnumDescriptorProto'));
  // Protobuf scopes enum values like C++: beside the enum, not inside it.
  for (const field of wireFields(bytes)) {
    if (field.number === MEMBERS)
      found.symbols.push(scope + nameOf(lengthDelimited(field, 'EnumDescriptorProto.value'), NAME, 'EnumValueDescriptorProto'));
  }
}

function readService(bytes: Uint8Array, scope: string, found: Found): void {
  const full = scope + nameOf(bytes, NAME, 'ServiceDescriptorProto');
  found.symbols.push(full);
  found.services.push(full);
  for (const field of wireFields(bytes)) {
    if (field.number === MEMBERS)
      found.symbols.push(`${full}.${nameOf(lengthDelimited(field, 'ServiceDescriptorProto.method'), NAME, 'MethodDescriptorProto')}`);
  }
}

function readExtension(bytes: Uint8Array, scope: string, pkg: string, found: Found): void {
  let name = '';
  let extendee = '';
  let number = 0;
  for (const field of wireFields(bytes)) {
    if (field.number === FIELD_NAME) name = wireString(field);
    else if (field.number === FIELD_EXTENDEE) extendee = wireString(field);
    else if (field.number === FIELD_NUMBER) number = varint(field, 'FieldDescriptorProto.number');
  }
  if (name === '' || extendee === '')
    throw new MalformedDescriptorError(`an extension in ${scope || 'the top scope'} without a name or extendee`);
  found.symbols.push(scope + name);
  // protoc writes resolved type names, fully qualified with a leading dot; a relative one (from
  // another writer) is taken as relative to the package.
  const extended = extendee.startsWith('.') ? extendee.slice(1) : pkg === '' ? extendee : `${pkg}.${extendee}`;
  found.extensions.push({ extendee: extended, number, name: scope + name });
}

function nameOf(bytes: Uint8Array, fieldNumber: number, message: string): string {
  let name = '';
  for (const field of wireFields(bytes)) if (field.number === fieldNumber) name = wireString(field);
  if (name === '') throw new MalformedDescriptorError(`a ${message} without a name`);
  return name;
}

function lengthDelimited(field: WireField, what: string): Uint8Array {
  if (field.wireType !== WIRE_LEN) throw new MalformedDescriptorError(`${what} has wire type ${field.wireType}, not length-delimited`);
  return field.bytes;
}

function varint(field: WireField, what: string): number {
  if (field.wireType !== WIRE_VARINT) throw new MalformedDescriptorError(`${what} has wire type ${field.wireType}, not varint`);
  return field.value;
}
