"""A scripted crowd of 17Cyber victims and agents over real WebSockets, for the fault test and the benchmark.

Each conversation has two clients: the victim (by token) and the agent holding it (by session cookie). Each
client behaves like chat.js: it keeps the last sequence number it showed, asks for everything after it whenever
it (re)connects or sees a gap, and sends each message with its own identifier, sending again after a cut any
message not yet acknowledged. Servers are tried in turn, so killing one sends its clients to another.

Traffic goes to 127.0.0.1 only; the number of messages and the duration are bounded by the caller.
"""

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[1]


# ---- Servers ------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, env: dict) -> subprocess.Popen:
    """One uvicorn process serving the ASGI application (HTTP and WebSocket)."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--lifespan",
            "off",
            "--ws-max-size",
            "65536",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"the server on port {port} stopped at start") from None
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the server on port {port} did not start")


def kill(process: subprocess.Popen):
    """As a crash would: no chance to close anything properly."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def stop(process: subprocess.Popen):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kill(process)


def crash_plan(servers: list, ports: list, env: dict, *, kill_at: int, restart_at: int):
    """Between rounds: kill the first server process at round ``kill_at``, start it again at ``restart_at``."""

    async def during(round_number: int):
        if round_number == kill_at:
            kill(servers[0])
        if round_number == restart_at:
            servers[0] = await asyncio.to_thread(start_server, ports[0], env)

    return during


# ---- Clients ------------------------------------------------------------------------------------------------------


@dataclass
class Stats:
    sent_at: dict = field(default_factory=dict)  # client_id -> monotonic time of the first send
    round_trips_ms: list = field(default_factory=list)  # first send -> first delivery to the other side
    resume_ms: list = field(default_factory=list)  # baseline: resume request -> its answer, on the same socket
    reconnections: int = 0
    refused: int = 0


@dataclass
class Client:
    role: str  # "victim" or "agent"
    paths: list  # one address per server, tried in turn
    headers: dict
    stats: Stats
    peer: "Client | None" = None
    last_seq: int = 0
    seq_of: dict = field(default_factory=dict)  # client_id -> seq, for every message shown
    shown: list = field(default_factory=list)  # (seq, client_id) in the order shown
    duplicates: int = 0
    unacked: dict = field(default_factory=dict)  # client_id -> body
    own: list = field(default_factory=list)  # client_ids this client sent
    socket: object = None
    server_index: int = 0
    opened: asyncio.Event = field(default_factory=asyncio.Event)
    closing: bool = False
    resume_sent: list = field(default_factory=list)

    def show(self, message: dict):
        seq, client_id = message["seq"], message["client_id"]
        if seq <= self.last_seq:
            return
        if seq > self.last_seq + 1:
            self.request_resume()
            return
        if client_id and client_id in self.seq_of:
            self.duplicates += 1  # the same message under two numbers: stored twice
        self.last_seq = seq
        self.shown.append((seq, client_id))
        if client_id:
            self.seq_of[client_id] = seq
            sent = self.stats.sent_at.get(client_id)
            if sent is not None and message["author"] != self.role:
                self.stats.round_trips_ms.append((time.monotonic() - sent) * 1000)

    def resume_if_behind(self, seq: int):
        if self.last_seq < seq:
            self.request_resume()

    def request_resume(self):
        if self.socket is not None:
            self.resume_sent.append(time.monotonic())
            asyncio.ensure_future(self._send({"type": "resume", "after": self.last_seq}))

    async def _send(self, payload):
        # The connection may be going away: the reconnection sends it again.
        with contextlib.suppress(Exception):
            await self.socket.send(json.dumps(payload))

    async def say(self, body: str):
        client_id = str(uuid.uuid4())
        self.unacked[client_id] = body
        self.own.append(client_id)
        self.stats.sent_at.setdefault(client_id, time.monotonic())
        if self.socket is not None:
            await self._send({"type": "message", "client_id": client_id, "body": body})

    async def run(self, base_urls: list):
        delay = 0.2
        while not self.closing:
            url = base_urls[self.server_index % len(base_urls)] + self.paths[self.server_index % len(self.paths)]
            # Refused, reset, killed server: try again, elsewhere.
            with contextlib.suppress(Exception):
                async with websockets.connect(
                    url, additional_headers=self.headers, open_timeout=10, ping_interval=None, max_size=2**20
                ) as ws:
                    self.socket = ws
                    self.resume_sent[:] = [time.monotonic()]
                    delay = 0.2
                    await ws.send(json.dumps({"type": "resume", "after": self.last_seq}))
                    for client_id, body in list(self.unacked.items()):
                        await ws.send(json.dumps({"type": "message", "client_id": client_id, "body": body}))
                    self.opened.set()
                    async for raw in ws:
                        self.receive(json.loads(raw))
            self.socket = None
            if self.closing:
                return
            self.stats.reconnections += 1
            self.server_index += 1
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2)

    def receive(self, frame: dict):
        kind = frame.get("type")
        if kind == "sync":
            if self.resume_sent:
                self.stats.resume_ms.append((time.monotonic() - self.resume_sent.pop(0)) * 1000)
            for message in frame["messages"]:
                self.show(message)
        elif kind == "message":
            self.show(frame["message"])
        elif kind == "ack":
            self.unacked.pop(frame["client_id"], None)
            # The message itself normally follows its acknowledgement; ask for it only if it does not come.
            asyncio.get_running_loop().call_later(1.5, self.resume_if_behind, frame["seq"])
        elif kind == "error":
            self.stats.refused += 1
            client_id = frame.get("client_id")
            if frame.get("code") == "refused":
                self.unacked.pop(client_id, None)
            elif frame.get("code") == "rate_limited" and client_id in self.unacked:
                asyncio.get_running_loop().call_later(2, self.resend, client_id)

    def resend(self, client_id: str):
        if client_id in self.unacked and self.socket is not None:
            body = self.unacked[client_id]
            asyncio.ensure_future(self._send({"type": "message", "client_id": client_id, "body": body}))

    async def close(self):
        self.closing = True
        if self.socket is not None:
            await self.socket.close()


def pair(stats: Stats, token: str, reference: str, cookie: str, origin: str) -> tuple[Client, Client]:
    victim = Client("victim", [f"/ws/17cyber/discussion/{token}/"], {"Origin": origin}, stats)
    agent = Client("agent", [f"/ws/17cyber/agent/{reference}/"], {"Origin": origin, "Cookie": cookie}, stats)
    victim.peer, agent.peer = agent, victim
    return victim, agent


@dataclass
class Outcome:
    conversations: int
    sockets: int
    messages: int
    seconds: float
    lost: int
    duplicated: int
    out_of_order: int
    reconnections: int
    round_trips_ms: list
    resume_ms: list


def check(clients: list, stats: Stats, seconds: float) -> Outcome:
    """Every message sent reached the other side exactly once, in the order of its numbers."""
    lost = duplicated = out_of_order = 0
    for client in clients:
        for client_id in client.own:
            if client_id not in client.peer.seq_of:
                lost += 1
        duplicated += client.duplicates
        seqs = [seq for seq, _ in client.shown]
        out_of_order += sum(1 for a, b in zip(seqs, seqs[1:], strict=False) if b != a + 1)
    return Outcome(
        conversations=len(clients) // 2,
        sockets=len(clients),
        messages=sum(len(c.own) for c in clients),
        seconds=seconds,
        lost=lost,
        duplicated=duplicated,
        out_of_order=out_of_order,
        reconnections=stats.reconnections,
        round_trips_ms=stats.round_trips_ms,
        resume_ms=stats.resume_ms,
    )


async def converse(
    clients: list,
    base_urls: list,
    *,
    rounds: int,
    interval: float,
    during=None,
    settle: float = 5.0,
) -> Outcome:
    """Open every socket, then each client sends ``rounds`` messages ``interval`` seconds apart (spread over the
    interval); ``during(round)`` runs between rounds (to kill a server). Then everyone resumes once more."""
    stats = clients[0].stats
    tasks = [asyncio.create_task(client.run(base_urls)) for client in clients]
    await asyncio.wait_for(asyncio.gather(*(c.opened.wait() for c in clients)), timeout=120)
    started = time.monotonic()
    for number in range(rounds):
        if during is not None:
            await during(number)
        step = interval / max(1, len(clients))
        for index, client in enumerate(clients):
            await client.say(f"message {number} de {client.role} {index}")
            if number % 2 == 1:
                client.request_resume()  # as chat.js does now and then
            await asyncio.sleep(step)
    deadline = time.monotonic() + settle * 6
    while time.monotonic() < deadline and any(c.unacked for c in clients):
        await asyncio.sleep(0.2)
    for client in clients:
        client.request_resume()
    await asyncio.sleep(settle)
    seconds = time.monotonic() - started
    for client in clients:
        await client.close()
    await asyncio.gather(*tasks, return_exceptions=True)
    return check(clients, stats, seconds)
