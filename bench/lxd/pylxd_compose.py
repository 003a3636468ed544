#!/usr/bin/python3
# The pylxd contender of bench:lxd (Debian python3-pylxd). Reads one JSON request per line on
# stdin and answers one JSON line on stdout, timing only the pylxd calls:
#   {"op": "compose", "names": [...]}  -> {"ms": total}   (Container.create(..., wait=True) each)
#   {"op": "list"}                      -> {"ms": total, "count": n}  (all() and sync() each, so it
#                                          holds the same config and status a recursive list gives)
# pylxd 2.2.10 has no project support: it works in LXD's default project, which no other contender
# uses. The socket comes from LXD_DIR, as pylxd itself resolves it.
import json
import sys
import time

from pylxd import Client

client = Client()
for line in sys.stdin:
    req = json.loads(line)
    t0 = time.perf_counter()
    if req["op"] == "compose":
        for name in req["names"]:
            client.containers.create({
                "name": name,
                "source": {"type": "image", "alias": "busybox"},
                "config": {"limits.cpu": "1", "limits.memory": str(64 * 2 ** 20), "user.mooring.machine-id": "m-" + name},
                "devices": {"root": {"type": "disk", "path": "/", "pool": "default"}},
            }, wait=True)
        out = {"ms": (time.perf_counter() - t0) * 1000}
    elif req["op"] == "list":
        containers = client.containers.all()
        for c in containers:
            c.sync()
        out = {"ms": (time.perf_counter() - t0) * 1000, "count": len(containers)}
    else:
        out = {"error": "unknown op " + str(req["op"])}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
