"""The connection cap per client address (tanya.http_limits.ClientCounter), shared by the Rasa server,
its socket.io channel and the demo web server."""

import threading

from tanya.http_limits import ClientCounter


def test_a_client_holds_at_most_the_cap_and_a_closed_connection_frees_a_place():
    clients = ClientCounter(2)
    assert [clients.acquire("198.51.100.7") for _ in range(3)] == [True, True, False]
    assert clients.acquire("203.0.113.9")  # another address has its own places
    clients.release("198.51.100.7")
    assert clients.acquire("198.51.100.7") and not clients.acquire("198.51.100.7")
    assert clients.open("198.51.100.7") == 2


def test_a_cap_of_zero_counts_but_refuses_nothing():
    clients = ClientCounter(0)
    assert all(clients.acquire("127.0.0.1") for _ in range(1000))


def test_concurrent_threads_never_exceed_the_cap():
    clients = ClientCounter(5)
    granted = []
    barrier = threading.Barrier(40)

    def take():
        barrier.wait()
        granted.append(clients.acquire("198.51.100.7"))

    threads = [threading.Thread(target=take) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert granted.count(True) == 5 and clients.open("198.51.100.7") == 5
