"""What the test servers here share: living no longer than the test process, and serving HTTP
on a free loopback port that they announce as one JSON line (PortAnnouncingServer.swift)."""
import json
import os
import signal
import threading
import time
from http.server import ThreadingHTTPServer


def live_with_parent():
    """Unblocks the signals the spawning thread blocked, so that the test can stop us, and
    exits when the test process that started us is gone, even if it crashed before stopping
    us (polling the parent pid: PR_SET_PDEATHSIG would follow the spawning thread instead)."""
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def serve(handler, **attributes):
    """Serves `handler` on 127.0.0.1 at a free port, with `attributes` set on the server, after
    printing {"port": N}; lives with the parent (see live_with_parent)."""
    live_with_parent()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    for name, value in attributes.items():
        setattr(server, name, value)
    print(json.dumps({"port": server.server_address[1]}), flush=True)
    server.serve_forever()
