"""What the end-to-end tests share: checks that count failures, a free port, headless Chromium, a process
whose output lines are collected, a copy of the bundled site."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

failures = []


def check(condition, message):
    """Prints ok/FAIL with the message and remembers failures; returns the condition."""
    print(("ok   " if condition else "FAIL ") + message, flush=True)
    if not condition:
        failures.append(message)
    return condition


def finish(name):
    """Ends the run: exit status 1 when a check failed."""
    if failures:
        print(f"{len(failures)} {name} check(s) failed")
        sys.exit(1)
    print(f"{name}: all checks passed")


def build(guidegen, arguments):
    """guidegen build; its output (content warnings included) is shown only when it fails."""
    p = subprocess.run([guidegen, "build"] + arguments, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"guidegen build failed ({p.returncode}):\n{p.stdout}{p.stderr}")


def privileged(cmd):
    """cmd as root: directly when we are root, through sudo -n when it works; None otherwise."""
    if os.geteuid() == 0:
        return cmd
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n"] + cmd
    return None


def wait_for_port(port, tries=100):
    """Until something listens on 127.0.0.1:port (at most tries x 50 ms)."""
    for _ in range(tries):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser(width=1280, height=900, javascript=True):
    """Headless Chromium from Debian (chromium, chromium-driver) through Selenium; javascript=False turns the
    pages' scripts off (WebDriver's own still run)."""
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(arg)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    binary = "/usr/bin/chromium"
    if os.path.exists(binary):
        options.binary_location = binary
    driver_path = "/usr/bin/chromedriver"
    service = Service(driver_path) if os.path.exists(driver_path) else Service()
    driver = webdriver.Chrome(service=service, options=options)
    if width < 500:
        # Chromium keeps a desktop window at least 500 px wide: emulate the phone's viewport instead.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
    return driver


class CollectedProcess:
    """A process whose stdout and stderr lines are collected as they come (for `since` a `mark`)."""

    def __init__(self, cmd, **popen):
        self.cmd = cmd
        self.lines = []  # (stream, line)
        self.lock = threading.Lock()
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  errors="replace", bufsize=1, **popen)
        self.readers = [threading.Thread(target=self._read, args=(s, w), daemon=True)
                        for s, w in ((self.p.stdout, "out"), (self.p.stderr, "err"))]
        for t in self.readers:
            t.start()

    def _read(self, stream, which):
        for line in stream:
            with self.lock:
                self.lines.append((which, line.rstrip("\n")))

    def mark(self):
        with self.lock:
            return len(self.lines)

    def since(self, mark=0, which=None):
        with self.lock:
            return [l for w, l in self.lines[mark:] if which is None or w == which]

    def interrupt(self, timeout=5):
        """Sends SIGINT (Ctrl-C) and returns the exit code, or None if it has not exited within `timeout` s."""
        self.p.send_signal(signal.SIGINT)
        try:
            return self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def tail(self, n=25):
        with self.lock:
            return "\n".join(f"  [{w}] {l}" for w, l in self.lines[-n:])


def copy_site(repo, dst):
    """The bundled site (guidegen.yml, content/, data/, static/, themes/) copied into dst."""
    os.makedirs(dst)
    for name in ("guidegen.yml", "content", "data", "static", "themes"):
        src = os.path.join(repo, name)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(dst, name))
        elif os.path.exists(src):
            shutil.copy(src, os.path.join(dst, name))


def write_in_place(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
