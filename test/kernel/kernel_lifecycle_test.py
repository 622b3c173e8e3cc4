"""Starting, restarting and shutting the kernel down through Debian's jupyter_client, and the connection
file's variants (empty key = unsigned, ipc transport). Run by kernel-lifecycle.test.ts."""
import os
import tempfile
import unittest

import kernel_client as kt


def started(km):
    return kt.start(km=km)[1]


def listening_tcp(pid):
    """(hex address, port) of the TCP sockets process pid listens on, from /proc."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[len("socket:["):-1])
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            next(f)
            for line in f:
                fields = line.split()
                if fields[3] == "0A" and fields[9] in inodes:  # state LISTEN
                    address, port = fields[1].split(":")
                    found.add((address, int(port, 16)))
    return found


class KernelLifecycleTests(unittest.TestCase):
    def result(self, kc, code):
        reply, outputs = kt.execute(kc, code)
        self.assertEqual(reply["status"], "ok", reply)
        return reply["execution_count"], [c["data"]["text/plain"] for kind, c in outputs if kind == "execute_result"]

    def test_restart_starts_a_fresh_kernel_and_shutdown_replies(self):
        km = kt.new_manager()
        kc = started(km)
        try:
            self.result(kc, "(globalThis as any).marker = 1;")
            first = km.provisioner.process
            km.restart_kernel(now=False)  # shutdown_request(restart=True), wait for the exit, start again
            self.assertEqual(first.poll(), 0)  # it exited by itself, not killed
            kc.wait_for_ready(timeout=60)
            self.assertEqual(self.result(kc, "typeof (globalThis as any).marker"), (1, ["'undefined'"]))
            msg_id = kc.shutdown(restart=True)
            reply = kc.get_control_msg(timeout=10)
            self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
            self.assertEqual((reply["msg_type"], reply["content"]), ("shutdown_reply", {"status": "ok", "restart": True}))
            self.assertEqual(km.provisioner.process.wait(timeout=10), 0)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    def test_empty_key_means_unsigned_and_only_the_five_ports_are_bound(self):
        km = kt.new_manager()
        km.session.key = b""
        kc = started(km)
        try:
            self.assertEqual(self.result(kc, "6 * 7")[1], ["42"])
            info = km.get_connection_info()
            ports = {info[f"{channel}_port"] for channel in ("shell", "iopub", "stdin", "control", "hb")}
            self.assertEqual(listening_tcp(km.provisioner.process.pid), {("0100007F", port) for port in ports})  # 127.0.0.1
        finally:
            kc.stop_channels()
            km.shutdown_kernel()

    def test_ipc_transport(self):
        where = tempfile.mkdtemp(prefix="ipc-", dir=os.environ.get("JUPYTER_RUNTIME_DIR"))
        km = kt.new_manager(transport="ipc", ip=os.path.join(where, "k"))
        kc = started(km)
        try:
            self.assertEqual(self.result(kc, "6 * 7")[1], ["42"])
            info = km.get_connection_info()
            for channel in ("shell", "iopub", "stdin", "control", "hb"):
                self.assertTrue(os.path.exists(f"{info['ip']}-{info[channel + '_port']}"), channel)
        finally:
            kc.stop_channels()
            km.shutdown_kernel()


if __name__ == "__main__":
    unittest.main()
