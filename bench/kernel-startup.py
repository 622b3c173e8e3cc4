"""Seconds from starting the sentence-tfjs Jupyter kernel (through jupyter_client, as Jupyter does) to the
execute_reply of its first cell. argv: the kernel's argv as JSON (with {connection_file}), the cell code.
The kernelspec lives in a temporary JUPYTER_PATH entry, so nothing is installed for the user."""
import json
import os
import sys
import tempfile
import time

argv, code = json.loads(sys.argv[1]), sys.argv[2]
spec_root = tempfile.mkdtemp(prefix="sentence-tfjs-kernelspec-")
os.makedirs(os.path.join(spec_root, "kernels", "sentence-tfjs-bench"))
with open(os.path.join(spec_root, "kernels", "sentence-tfjs-bench", "kernel.json"), "w") as f:
    json.dump({"argv": argv, "display_name": "sentence-tfjs (bench)", "language": "typescript"}, f)
os.environ["JUPYTER_PATH"] = spec_root

from jupyter_client.manager import KernelManager  # noqa: E402  (reads JUPYTER_PATH)

t0 = time.perf_counter()
km = KernelManager(kernel_name="sentence-tfjs-bench")
km.start_kernel()
kc = km.client()
kc.start_channels()
try:
    msg_id = kc.execute(code)
    while True:
        msg = kc.get_shell_msg(timeout=300)
        if msg["parent_header"].get("msg_id") == msg_id:
            break
    first_reply = time.perf_counter() - t0
    status = msg["content"]["status"]
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    for dirpath, dirnames, filenames in os.walk(spec_root, topdown=False):
        for name in filenames:
            os.remove(os.path.join(dirpath, name))
        os.rmdir(dirpath)
print("BENCH_RESULT " + json.dumps({"seconds": [first_reply], "status": status}), flush=True)
