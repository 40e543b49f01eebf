// @vt/sqltypes: values, fields and results as they travel between MariaDB, vttablet, vtgate and the client.
// Rows are kept as the text-protocol bytes MariaDB sent (Uint8Array per column, null for NULL), so a result can be
// relayed without re-encoding. Types use Vitess's query.Type numbering (same numbers as proto/query.proto).
export { Type, Flag, typeName, isIntegral, isSigned, isUnsigned, isFloat, isQuoted, isText, isBinary, isNumber } from "./type.js";
export { typeFromMySQL, typeToMySQL, MysqlType } from "./mysql-type.js";
export type { Field, Row, Result, BindVariable, Value } from "./result.js";
export { emptyResult, makeField } from "./result.js";
export { makeValue, valueToString, valueFromString, int64Value, uint64Value, varcharValue, varbinaryValue, nullValue, bindVar, valueToBigInt } from "./value.js";
export {
  resultToProto, resultFromProto, rowToProto, rowFromProto, fieldToProto, fieldFromProto, valueToProto, valueFromProto,
  bindVariableToProto, bindVariableFromProto, bindVariablesToProto, bindVariablesFromProto, boundQueryToProto,
} from "./proto-convert.js";
