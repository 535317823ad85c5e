// libtensorflow's graph API for Node: build a TF_Graph op by op, add its gradients
// (TF_AddGradients, TensorFlow's C++ gradient registry) and run it in a TF_Session. The trainer
// builds its whole training step as one graph with it (src/graph/), so that a step is one session
// call that TensorFlow schedules and optimises as a unit, instead of thousands of eager ops.
//
// Operations are named by small integers (their index in the graph's table); an output is
// [op, index]. Tensors cross as typed arrays, copied. Errors throw a JS Error with TensorFlow's
// message. Built by scripts/setup-tensorflow.sh against the same libtensorflow as tfjs-node.
#include <node_api.h>
#include <tensorflow/c/c_api.h>

#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct Graph {
  TF_Graph *graph = TF_NewGraph();
  std::vector<TF_Operation *> ops;
  std::unordered_map<TF_Operation *, int> ids;
  ~Graph() { TF_DeleteGraph(graph); }
  int add(TF_Operation *op) {
    auto found = ids.find(op);
    if (found != ids.end()) return found->second;
    ops.push_back(op);
    return ids[op] = static_cast<int>(ops.size() - 1);
  }
};

struct Session {
  TF_Session *session = nullptr;
  Graph *graph = nullptr;
};

#define CHECK_NAPI(call)                                              \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, nullptr, "tfGraph: N-API call failed: " #call); \
      return nullptr;                                                 \
    }                                                                 \
  } while (0)

napi_value fail(napi_env env, const std::string &message) {
  napi_throw_error(env, nullptr, ("tfGraph: " + message).c_str());
  return nullptr;
}

bool getArgs(napi_env env, napi_callback_info info, size_t n, napi_value *args) {
  size_t argc = n;
  return napi_get_cb_info(env, info, &argc, args, nullptr, nullptr) == napi_ok && argc == n;
}

std::string getString(napi_env env, napi_value v) {
  size_t length = 0;
  napi_get_value_string_utf8(env, v, nullptr, 0, &length);
  std::string s(length, '\0');
  napi_get_value_string_utf8(env, v, s.data(), length + 1, &length);
  return s;
}

int64_t getInt(napi_env env, napi_value v) {
  int64_t x = 0;
  napi_get_value_int64(env, v, &x);
  return x;
}

double getDouble(napi_env env, napi_value v) {
  double x = 0;
  napi_get_value_double(env, v, &x);
  return x;
}

uint32_t arrayLength(napi_env env, napi_value v) {
  uint32_t n = 0;
  napi_get_array_length(env, v, &n);
  return n;
}

napi_value element(napi_env env, napi_value array, uint32_t i) {
  napi_value e;
  napi_get_element(env, array, i, &e);
  return e;
}

std::vector<int64_t> getInts(napi_env env, napi_value array) {
  std::vector<int64_t> out(arrayLength(env, array));
  for (uint32_t i = 0; i < out.size(); i++) out[i] = getInt(env, element(env, array, i));
  return out;
}

template <typename T>
T *unwrap(napi_env env, napi_value v) {
  void *p = nullptr;
  napi_get_value_external(env, v, &p);
  return static_cast<T *>(p);
}

/** [op, index] of `g`, or an output with a null operation when the id is unknown. */
TF_Output getOutput(napi_env env, Graph *g, napi_value pair) {
  int64_t op = getInt(env, element(env, pair, 0));
  int64_t index = getInt(env, element(env, pair, 1));
  if (op < 0 || op >= static_cast<int64_t>(g->ops.size())) return {nullptr, 0};
  return {g->ops[op], static_cast<int>(index)};
}

napi_value outputValue(napi_env env, Graph *g, TF_Output o) {
  napi_value pair, op, index;
  napi_create_array_with_length(env, 2, &pair);
  napi_create_int32(env, g->add(o.oper), &op);
  napi_create_int32(env, o.index, &index);
  napi_set_element(env, pair, 0, op);
  napi_set_element(env, pair, 1, index);
  return pair;
}

size_t dtypeSize(TF_DataType t) { return TF_DataTypeSize(t); }

/** A TF_Tensor copied from {dtype, shape, data} (data: a typed array of that dtype). */
TF_Tensor *getTensor(napi_env env, napi_value spec, std::string &error) {
  napi_value dtype, shape, data;
  napi_get_named_property(env, spec, "dtype", &dtype);
  napi_get_named_property(env, spec, "shape", &shape);
  napi_get_named_property(env, spec, "data", &data);
  auto t = static_cast<TF_DataType>(getInt(env, dtype));
  std::vector<int64_t> dims = getInts(env, shape);
  size_t count = 1;
  for (int64_t d : dims) count *= static_cast<size_t>(d);
  void *bytes = nullptr;
  size_t length = 0;
  napi_typedarray_type kind;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, data, &kind, &length, &bytes, &buffer, &offset) != napi_ok) {
    error = "tensor data must be a typed array";
    return nullptr;
  }
  size_t size = count * dtypeSize(t);
  size_t given = length * (kind == napi_float32_array || kind == napi_int32_array || kind == napi_uint32_array ? 4
                           : kind == napi_float64_array || kind == napi_bigint64_array ? 8
                           : kind == napi_int16_array || kind == napi_uint16_array ? 2 : 1);
  if (given != size) {
    error = "tensor data has " + std::to_string(given) + " bytes, its dtype and shape need " + std::to_string(size);
    return nullptr;
  }
  TF_Tensor *tensor = TF_AllocateTensor(t, dims.data(), static_cast<int>(dims.size()), size);
  if (size) std::memcpy(TF_TensorData(tensor), bytes, size);
  return tensor;
}

napi_value tensorValue(napi_env env, TF_Tensor *t) {
  TF_DataType dtype = TF_TensorType(t);
  size_t size = TF_TensorByteSize(t);
  napi_value result, shape, data, buffer, type;
  napi_create_object(env, &result);
  int rank = TF_NumDims(t);
  napi_create_array_with_length(env, rank, &shape);
  for (int i = 0; i < rank; i++) {
    napi_value d;
    napi_create_int64(env, TF_Dim(t, i), &d);
    napi_set_element(env, shape, i, d);
  }
  void *out = nullptr;
  napi_create_arraybuffer(env, size, &out, &buffer);
  if (size) std::memcpy(out, TF_TensorData(t), size);
  napi_typedarray_type kind = dtype == TF_INT32 ? napi_int32_array
                              : dtype == TF_BOOL || dtype == TF_UINT8 ? napi_uint8_array
                              : napi_float32_array;
  size_t element = kind == napi_uint8_array ? 1 : 4;
  napi_create_typedarray(env, kind, size / element, buffer, 0, &data);
  napi_create_int32(env, dtype, &type);
  napi_set_named_property(env, result, "dtype", type);
  napi_set_named_property(env, result, "shape", shape);
  napi_set_named_property(env, result, "data", data);
  return result;
}

void finalizeGraph(napi_env, void *data, void *) { delete static_cast<Graph *>(data); }

napi_value NewGraph(napi_env env, napi_callback_info) {
  napi_value out;
  CHECK_NAPI(napi_create_external(env, new Graph(), finalizeGraph, nullptr, &out));
  return out;
}

/** addOp(graph, type, name, inputs, attrs, controlInputs) -> op id. */
napi_value AddOp(napi_env env, napi_callback_info info) {
  napi_value args[6];
  if (!getArgs(env, info, 6, args)) return fail(env, "addOp takes (graph, type, name, inputs, attrs, controlInputs)");
  Graph *g = unwrap<Graph>(env, args[0]);
  std::string type = getString(env, args[1]), name = getString(env, args[2]);
  TF_OperationDescription *d = TF_NewOperation(g->graph, type.c_str(), name.c_str());
  uint32_t nInputs = arrayLength(env, args[3]);
  for (uint32_t i = 0; i < nInputs; i++) {
    napi_value input = element(env, args[3], i);
    napi_value first = element(env, input, 0);
    bool isList = false;
    napi_is_array(env, first, &isList);
    if (isList) {
      std::vector<TF_Output> list(arrayLength(env, input));
      for (uint32_t k = 0; k < list.size(); k++) list[k] = getOutput(env, g, element(env, input, k));
      TF_AddInputList(d, list.data(), static_cast<int>(list.size()));
    } else {
      TF_Output o = getOutput(env, g, input);
      if (!o.oper) return fail(env, type + " " + name + ": input " + std::to_string(i) + " names no operation");
      TF_AddInput(d, o);
    }
  }
  TF_Status *status = TF_NewStatus();
  std::vector<TF_Tensor *> owned;
  std::string error;
  uint32_t nAttrs = arrayLength(env, args[4]);
  for (uint32_t i = 0; i < nAttrs && error.empty(); i++) {
    napi_value attr = element(env, args[4], i);
    std::string key = getString(env, element(env, attr, 0)), kind = getString(env, element(env, attr, 1));
    napi_value value = element(env, attr, 2);
    if (kind == "type") TF_SetAttrType(d, key.c_str(), static_cast<TF_DataType>(getInt(env, value)));
    else if (kind == "int") TF_SetAttrInt(d, key.c_str(), getInt(env, value));
    else if (kind == "float") TF_SetAttrFloat(d, key.c_str(), static_cast<float>(getDouble(env, value)));
    else if (kind == "bool") {
      bool b = false;
      napi_get_value_bool(env, value, &b);
      TF_SetAttrBool(d, key.c_str(), b);
    } else if (kind == "string") {
      std::string s = getString(env, value);
      TF_SetAttrString(d, key.c_str(), s.data(), s.size());
    } else if (kind == "ints") {
      std::vector<int64_t> v = getInts(env, value);
      TF_SetAttrIntList(d, key.c_str(), v.data(), static_cast<int>(v.size()));
    } else if (kind == "shape") {
      std::vector<int64_t> v = getInts(env, value);
      TF_SetAttrShape(d, key.c_str(), v.data(), static_cast<int>(v.size()));
    } else if (kind == "tensor") {
      TF_Tensor *t = getTensor(env, value, error);
      if (t) {
        owned.push_back(t);
        TF_SetAttrTensor(d, key.c_str(), t, status);
        if (TF_GetCode(status) != TF_OK) error = TF_Message(status);
      }
    } else error = "unknown attribute kind " + kind;
  }
  uint32_t nControl = arrayLength(env, args[5]);
  for (uint32_t i = 0; i < nControl && error.empty(); i++) {
    int64_t id = getInt(env, element(env, args[5], i));
    if (id < 0 || id >= static_cast<int64_t>(g->ops.size())) error = "control input names no operation";
    else TF_AddControlInput(d, g->ops[id]);
  }
  TF_Operation *op = TF_FinishOperation(d, status);  // also frees d when it fails
  for (TF_Tensor *t : owned) TF_DeleteTensor(t);
  if (error.empty() && TF_GetCode(status) != TF_OK) error = TF_Message(status);
  TF_DeleteStatus(status);
  if (!error.empty()) return fail(env, type + " " + name + ": " + error);
  napi_value out;
  CHECK_NAPI(napi_create_int32(env, g->add(op), &out));
  return out;
}

/** numOutputs(graph, op) */
napi_value NumOutputs(napi_env env, napi_callback_info info) {
  napi_value args[2];
  if (!getArgs(env, info, 2, args)) return fail(env, "numOutputs takes (graph, op)");
  Graph *g = unwrap<Graph>(env, args[0]);
  int64_t id = getInt(env, args[1]);
  if (id < 0 || id >= static_cast<int64_t>(g->ops.size())) return fail(env, "numOutputs: no such operation");
  napi_value out;
  CHECK_NAPI(napi_create_int32(env, TF_OperationNumOutputs(g->ops[id]), &out));
  return out;
}

/** addGradients(graph, ys, xs) -> d(sum ys)/dxs as outputs; a null entry where xs does not reach ys. */
napi_value AddGradients(napi_env env, napi_callback_info info) {
  napi_value args[3];
  if (!getArgs(env, info, 3, args)) return fail(env, "addGradients takes (graph, ys, xs)");
  Graph *g = unwrap<Graph>(env, args[0]);
  std::vector<TF_Output> ys(arrayLength(env, args[1])), xs(arrayLength(env, args[2]));
  for (uint32_t i = 0; i < ys.size(); i++) ys[i] = getOutput(env, g, element(env, args[1], i));
  for (uint32_t i = 0; i < xs.size(); i++) xs[i] = getOutput(env, g, element(env, args[2], i));
  std::vector<TF_Output> dxs(xs.size());
  TF_Status *status = TF_NewStatus();
  TF_AddGradients(g->graph, ys.data(), static_cast<int>(ys.size()), xs.data(), static_cast<int>(xs.size()), nullptr,
                  status, dxs.data());
  std::string error = TF_GetCode(status) == TF_OK ? "" : TF_Message(status);
  TF_DeleteStatus(status);
  if (!error.empty()) return fail(env, "addGradients: " + error);
  napi_value out;
  CHECK_NAPI(napi_create_array_with_length(env, dxs.size(), &out));
  for (uint32_t i = 0; i < dxs.size(); i++) {
    napi_value v;
    if (dxs[i].oper) v = outputValue(env, g, dxs[i]);
    else napi_get_null(env, &v);
    napi_set_element(env, out, i, v);
  }
  return out;
}

void finalizeSession(napi_env, void *data, void *) {
  auto *s = static_cast<Session *>(data);
  if (s->session) {
    TF_Status *status = TF_NewStatus();
    TF_CloseSession(s->session, status);
    TF_DeleteSession(s->session, status);
    TF_DeleteStatus(status);
  }
  delete s;
}

/** newSession(graph, intraOpThreads, interOpThreads); 0 = TensorFlow's choice. */
napi_value NewSession(napi_env env, napi_callback_info info) {
  napi_value args[3];
  if (!getArgs(env, info, 3, args)) return fail(env, "newSession takes (graph, intraOpThreads, interOpThreads)");
  Graph *g = unwrap<Graph>(env, args[0]);
  int64_t intra = getInt(env, args[1]), inter = getInt(env, args[2]);
  TF_SessionOptions *options = TF_NewSessionOptions();
  TF_Status *status = TF_NewStatus();
  // ConfigProto: intra_op_parallelism_threads (field 2) and inter_op_parallelism_threads (field 5), varints.
  if (intra > 0 || inter > 0) {
    unsigned char config[4] = {0x10, static_cast<unsigned char>(intra), 0x28, static_cast<unsigned char>(inter)};
    TF_SetConfig(options, config, sizeof config, status);
  }
  TF_Session *session = TF_GetCode(status) == TF_OK ? TF_NewSession(g->graph, options, status) : nullptr;
  std::string error = TF_GetCode(status) == TF_OK ? "" : TF_Message(status);
  TF_DeleteSessionOptions(options);
  TF_DeleteStatus(status);
  if (!error.empty()) return fail(env, "newSession: " + error);
  auto *s = new Session{session, g};
  napi_value out;
  CHECK_NAPI(napi_create_external(env, s, finalizeSession, nullptr, &out));
  return out;
}

/** run(session, feeds: [[op, index], tensor][], fetches: [op, index][], targets: op[]) -> tensors. */
napi_value Run(napi_env env, napi_callback_info info) {
  napi_value args[4];
  if (!getArgs(env, info, 4, args)) return fail(env, "run takes (session, feeds, fetches, targets)");
  Session *s = unwrap<Session>(env, args[0]);
  Graph *g = s->graph;
  uint32_t nFeeds = arrayLength(env, args[1]);
  std::vector<TF_Output> inputs(nFeeds);
  std::vector<TF_Tensor *> values(nFeeds, nullptr);
  std::string error;
  for (uint32_t i = 0; i < nFeeds && error.empty(); i++) {
    napi_value feed = element(env, args[1], i);
    inputs[i] = getOutput(env, g, element(env, feed, 0));
    if (!inputs[i].oper) error = "feed " + std::to_string(i) + " names no operation";
    else values[i] = getTensor(env, element(env, feed, 1), error);
  }
  std::vector<TF_Output> outputs(arrayLength(env, args[2]));
  for (uint32_t i = 0; i < outputs.size(); i++) outputs[i] = getOutput(env, g, element(env, args[2], i));
  std::vector<TF_Operation *> targets(arrayLength(env, args[3]));
  for (uint32_t i = 0; i < targets.size(); i++) targets[i] = g->ops[getInt(env, element(env, args[3], i))];
  std::vector<TF_Tensor *> results(outputs.size(), nullptr);
  if (error.empty()) {
    TF_Status *status = TF_NewStatus();
    TF_SessionRun(s->session, nullptr, inputs.data(), values.data(), static_cast<int>(nFeeds), outputs.data(),
                  results.data(), static_cast<int>(outputs.size()), targets.data(), static_cast<int>(targets.size()),
                  nullptr, status);
    if (TF_GetCode(status) != TF_OK) error = TF_Message(status);
    TF_DeleteStatus(status);
  }
  for (TF_Tensor *t : values)
    if (t) TF_DeleteTensor(t);
  if (!error.empty()) {
    for (TF_Tensor *t : results)
      if (t) TF_DeleteTensor(t);
    return fail(env, "run: " + error);
  }
  napi_value out;
  CHECK_NAPI(napi_create_array_with_length(env, results.size(), &out));
  for (uint32_t i = 0; i < results.size(); i++) {
    napi_set_element(env, out, i, tensorValue(env, results[i]));
    TF_DeleteTensor(results[i]);
  }
  return out;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"newGraph", nullptr, NewGraph, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addOp", nullptr, AddOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"numOutputs", nullptr, NumOutputs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addGradients", nullptr, AddGradients, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"newSession", nullptr, NewSession, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"run", nullptr, Run, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof *props, props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
