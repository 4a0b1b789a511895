#!/usr/bin/env python3
"""Loopback ports for the tests and benchmarks: the one free_port().

Imported by the Python tests and benchmarks; run as a program it prints
one port, which tests/lib/ports.sh's free_port uses.
"""
import socket


def free_port():
    """A loopback TCP port that was free a moment ago."""
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


if __name__ == "__main__":
    print(free_port())
