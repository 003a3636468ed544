#!/usr/bin/python3
"""A gRPC reflection client built on Debian's python3-grpcio and python3-protobuf: a protobuf
implementation other than protobufjs, standing where grpcurl or an operator's script would.

Reads one JSON object on standard input (so the bearer token never appears in argv):

  {"address": "127.0.0.1:7443", "ca_file": "/path/ca.crt", "token": "...",
   "reflection": "v1" | "v1alpha",
   "describe": ["mooring.v1.Machine", ...],
   "calls": [{"method": "mooring.v1.MachineService/EnlistMachine", "json": "{...}"}, ...]}

and writes one JSON object on standard output:

  {"services": [...], "files": [...], "methods": {service: [{"name", "input", "output", ...}]},
   "messages": {name: [{"name", "json_name", "type", "map_entry"}]},
   "calls": [{"method", "response"} | {"method", "code", "details"}]}

Every listed service's file is fetched through reflection (file_containing_symbol, then
file_by_filename for each import not yet seen) and added to a fresh descriptor_pool, which
validates it as protoc would (the C++ DescriptorBuilder behind python3-protobuf rejects, for
example, "map_entry should not be set explicitly"). A call's JSON is parsed with json_format into a
message class made from the reflected descriptors, so the .proto's own field names are accepted
exactly when the reflected descriptors carry them. Exit status 1 with the reason on stderr when any
step fails.
"""

import json
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

F = descriptor_pb2.FieldDescriptorProto


def reflection_file(package):
    """The messages of grpc/reflection/<version>/reflection.proto this client uses, built by hand:
    no generated _pb2 module is needed (Debian ships no grpcio-reflection)."""
    fdp = descriptor_pb2.FileDescriptorProto(name=f"client/{package}.proto", package=package, syntax="proto3")

    def message(name, *fields, oneof=None):
        m = fdp.message_type.add(name=name)
        if oneof:
            m.oneof_decl.add(name=oneof)
        for number, fname, ftype, label, type_name, in_oneof in fields:
            f = m.field.add(name=fname, number=number, type=ftype, label=label)
            if type_name:
                f.type_name = f".{package}.{type_name}"
            if in_oneof:
                f.oneof_index = 0

    opt, rep = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    message(
        "ServerReflectionRequest",
        (1, "host", F.TYPE_STRING, opt, None, False),
        (3, "file_by_filename", F.TYPE_STRING, opt, None, True),
        (4, "file_containing_symbol", F.TYPE_STRING, opt, None, True),
        (7, "list_services", F.TYPE_STRING, opt, None, True),
        oneof="message_request",
    )
    message("FileDescriptorResponse", (1, "file_descriptor_proto", F.TYPE_BYTES, rep, None, False))
    message("ServiceResponse", (1, "name", F.TYPE_STRING, opt, None, False))
    message("ListServiceResponse", (1, "service", F.TYPE_MESSAGE, rep, "ServiceResponse", False))
    message("ErrorResponse", (1, "error_code", F.TYPE_INT32, opt, None, False), (2, "error_message", F.TYPE_STRING, opt, None, False))
    message(
        "ServerReflectionResponse",
        (1, "valid_host", F.TYPE_STRING, opt, None, False),
        (4, "file_descriptor_response", F.TYPE_MESSAGE, opt, "FileDescriptorResponse", True),
        (6, "list_services_response", F.TYPE_MESSAGE, opt, "ListServiceResponse", True),
        (7, "error_response", F.TYPE_MESSAGE, opt, "ErrorResponse", True),
        oneof="message_response",
    )
    return fdp


def message_class(pool, full_name):
    desc = pool.FindMessageTypeByName(full_name)
    make = getattr(message_factory, "GetMessageClass", None)
    return make(desc) if make else message_factory.MessageFactory(pool).GetPrototype(desc)


class Failure(Exception):
    pass


class Reflection:
    """ServerReflectionInfo of one reflection version: each request on a stream of its own."""

    def __init__(self, channel, package):
        pool = descriptor_pool.DescriptorPool()
        pool.Add(reflection_file(package))
        self.request_class = message_class(pool, f"{package}.ServerReflectionRequest")
        response_class = message_class(pool, f"{package}.ServerReflectionResponse")
        self.call = channel.stream_stream(
            f"/{package}.ServerReflection/ServerReflectionInfo",
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=response_class.FromString,
        )

    def ask(self, **request):
        responses = list(self.call(iter([self.request_class(**request)]), timeout=30))
        if len(responses) != 1:
            raise Failure(f"reflection: {len(responses)} responses to one request {request}")
        response = responses[0]
        if response.WhichOneof("message_response") == "error_response":
            raise Failure(f"reflection error {response.error_response.error_code} for {request}: {response.error_response.error_message}")
        return response


def fetch_files(reflection, services):
    """Every file the services need, by name, each checked to arrive the same every time."""
    files = {}

    def take(response, asked):
        if response.WhichOneof("message_response") != "file_descriptor_response":
            raise Failure(f"reflection: no file_descriptor_response for {asked}")
        for raw in response.file_descriptor_response.file_descriptor_proto:
            fdp = descriptor_pb2.FileDescriptorProto.FromString(raw)
            if not fdp.name:
                raise Failure(f"reflection: a file without a name in the answer for {asked}")
            if fdp.name in files and files[fdp.name] != fdp:
                raise Failure(f"reflection: {fdp.name} differs between answers")
            files[fdp.name] = fdp

    for service in services:
        take(reflection.ask(file_containing_symbol=service), service)
    while True:
        missing = sorted({dep for fdp in files.values() for dep in fdp.dependency if dep not in files})
        if not missing:
            return files
        for name in missing:
            take(reflection.ask(file_by_filename=name), name)
            if name not in files:
                raise Failure(f"reflection: file_by_filename {name} did not return {name}")


def build_pool(files):
    """Adds the files to a new pool, imports first; the pool validates each one."""
    pool = descriptor_pool.DescriptorPool()
    added = set()

    def add(name, chain):
        if name in added:
            return
        if name in chain:
            raise Failure(f"import cycle: {' -> '.join(chain + [name])}")
        for dep in files[name].dependency:
            add(dep, chain + [name])
        try:
            pool.Add(files[name])
        except Exception as error:  # the C++ pool raises TypeError; the pure one other types
            raise Failure(f"descriptor_pool rejects {name}: {error}") from error
        added.add(name)

    for name in sorted(files):
        add(name, [])
    return pool


def describe_message(pool, name):
    fields = []
    for field in pool.FindMessageTypeByName(name).fields:
        entry = field.message_type
        fields.append(
            {
                "name": field.name,
                "json_name": field.json_name,
                "type": entry.full_name if entry else field.type,
                "map_entry": bool(entry and entry.GetOptions().map_entry),
            }
        )
    return fields


def call(channel, pool, token, method, body):
    service_name, method_name = method.split("/")
    desc = pool.FindServiceByName(service_name).FindMethodByName(method_name)
    request = message_class(pool, desc.input_type.full_name)()
    json_format.Parse(body, request)
    response_class = message_class(pool, desc.output_type.full_name)
    stub = channel.unary_unary(f"/{method}", request_serializer=lambda m: m.SerializeToString(), response_deserializer=response_class.FromString)
    try:
        # As the coordinator's own clients send it (coordinator/src/client/coordinator-client.ts).
        response = stub(request, metadata=[("authorization", f"Bearer {token}")], timeout=30)
    except grpc.RpcError as error:
        return {"method": method, "code": error.code().name, "details": error.details()}
    return {"method": method, "response": json_format.MessageToDict(response, preserving_proto_field_name=True)}


def main():
    spec = json.load(sys.stdin)
    with open(spec["ca_file"], "rb") as ca:
        credentials = grpc.ssl_channel_credentials(root_certificates=ca.read())
    with grpc.secure_channel(spec["address"], credentials) as channel:
        reflection = Reflection(channel, f"grpc.reflection.{spec.get('reflection', 'v1')}")
        listed = reflection.ask(list_services="*")
        services = [s.name for s in listed.list_services_response.service]
        files = fetch_files(reflection, services)
        pool = build_pool(files)
        methods = {}
        for service in services:
            methods[service] = [
                {
                    "name": m.name,
                    "input": m.input_type.full_name,
                    "output": m.output_type.full_name,
                    "client_streaming": m.client_streaming if hasattr(m, "client_streaming") else None,
                    "server_streaming": m.server_streaming if hasattr(m, "server_streaming") else None,
                }
                for m in pool.FindServiceByName(service).methods
            ]
        result = {
            "services": services,
            "files": sorted(files),
            "methods": methods,
            "messages": {name: describe_message(pool, name) for name in spec.get("describe", [])},
            "calls": [call(channel, pool, spec["token"], c["method"], c["json"]) for c in spec.get("calls", [])],
        }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    try:
        main()
    except Failure as failure:
        print(f"reflection_client: {failure}", file=sys.stderr)
        sys.exit(1)
