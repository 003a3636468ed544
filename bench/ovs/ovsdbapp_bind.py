"""ovsdbapp (Debian's python3-ovsdbapp, the OVSDB library of OpenStack Neutron and os-vif) as a
contender: bind N ports on br-int, one transaction each, the way os-vif plugs a VIF:
add_port + db_set Interface external_ids in one transaction, check_error=True.

Run with /usr/bin/python3 (Debian's packages; the python3 on PATH may be a pyenv without them):
    /usr/bin/python3 ovsdbapp_bind.py --remote unix:PATH
then, as the other contenders (bench/ovs/child-protocol.ts): {"ready": true} once connected, then
one command per stdin line: "bind <count>" binds the next <count> ports and prints {"ms": ...}, timed by this script around
its own loop; at the end of stdin it prints {"maxRssMB": ...}.

Waiting for ovs-vswitchd, as read in the installed source
(/usr/lib/python3/dist-packages/ovsdbapp, version 2.1.0):
- schema/open_vswitch/impl_idl.py: OvsdbIdl.create_transaction returns an OvsVsctlTransaction.
  Its pre_commit() calls self.api._ovs.increment('next_cfg') (the IDL adds a mutate next_cfg += 1
  and a select to read it back), and its post_commit() runs do_post_commit(), which reads
  txn.get_increment_new_value() and loops idl.run() / poller.block() until
  vswitchd_has_completed(next_cfg), i.e. Open_vSwitch.cur_cfg >= next_cfg, then checks every
  interface the transaction inserted (txn.expected_ifaces, filled by AddPortCommand) for an
  empty ofport or ofport -1.
- backend/ovs_idl/transaction.py: Transaction.do_commit() calls post_commit() only on SUCCESS,
  on the connection thread, before the result is queued back to commit(); so when
  `with api.transaction(...)` returns, vswitchd has applied the port.
- But post_commit() catches whatever do_post_commit() raises (a timeout, a failed interface) and
  only logs it with LOG.exception ("ovs-vsctl only logs these failures"), even with
  check_error=True. A handler on that logger turns such a log record into a failure here, so a
  port that did not come up cannot pass unnoticed.
"""

import argparse
import json
import logging
import resource
import sys
import time

from ovsdbapp.backend.ovs_idl import connection
from ovsdbapp.schema.open_vswitch import impl_idl

BRIDGE = "br-int"


def port_spec(i):
    """Port i as bench/ovs/ports.ts makes it."""
    return {
        "name": "bp%d" % i,
        "iface-id": "6f1c2a3e-0000-4000-8000-%012x" % i,
        "attached-mac": "52:54:00:%02x:%02x:%02x" % ((i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF),
        "vm-uuid": "0b7d9e24-0000-4000-8000-%012x" % i,
    }


class FailureCounter(logging.Handler):
    """Counts what OvsVsctlTransaction.post_commit logs instead of raising."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage() + (" %s" % (record.exc_info[1],) if record.exc_info else ""))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--remote", required=True)
    args = parser.parse_args()

    failures = FailureCounter()
    logging.getLogger("ovsdbapp").addHandler(failures)

    idl = connection.OvsdbIdl.from_server(args.remote, "Open_vSwitch")
    conn = connection.Connection(idl=idl, timeout=60)
    api = impl_idl.OvsdbIdl(conn)
    conn.start()

    next_port = 0
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        kind, count = line.split()
        if kind != "bind":
            raise SystemExit("ovsdbapp_bind.py: only 'bind <count>' is supported, got %r" % line)
        started = time.perf_counter()
        for i in range(next_port, next_port + int(count)):
            spec = port_spec(i)
            with api.transaction(check_error=True) as txn:
                txn.add(api.add_port(BRIDGE, spec["name"]))
                txn.add(api.db_set("Interface", spec["name"], ("external_ids", {
                    "iface-id": spec["iface-id"],
                    "iface-status": "active",
                    "attached-mac": spec["attached-mac"],
                    "vm-uuid": spec["vm-uuid"],
                })))
        ms = (time.perf_counter() - started) * 1000.0
        next_port += int(count)
        if failures.messages:
            raise SystemExit("ovsdbapp_bind.py: %d failure(s) logged by ovsdbapp: %s"
                             % (len(failures.messages), "; ".join(failures.messages[:3])))
        print(json.dumps({"ms": ms}), flush=True)

    conn.stop(timeout=5)
    print(json.dumps({"maxRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
