"""The embedded broker: kombu's filesystem transport with atomic message files."""

from kombu import Connection

from factcheck.broker import Transport


def _connection(folder):
    (folder / "control").mkdir(exist_ok=True)
    return Connection(
        "filesystem://",
        transport=Transport,
        transport_options={
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(folder / "control"),  # kombu's default is ./control
        },
    )


def test_messages_round_trip_and_leave_no_partial_files(tmp_path):
    with _connection(tmp_path) as conn:
        queue = conn.SimpleQueue("jobs")
        for n in range(20):
            queue.put({"n": n, "text": "é" * 1000})
        assert not list(tmp_path.glob("~*"))
        assert len(list(tmp_path.glob("*.jobs.msg"))) == 20
        got = [queue.get(timeout=1).payload["n"] for _ in range(20)]
        queue.close()
    assert sorted(got) == list(range(20))


def test_a_file_still_being_written_is_never_read_as_a_message(tmp_path):
    """What kombu's own transport got wrong (celery/kombu#1551): a reader taking a half-written
    file. Files are written under a name no queue reads, then renamed; one left behind by a
    crash mid-write is ignored."""
    (tmp_path / "~left-by-a-crash.partial").write_text('{"body": "trunc', encoding="utf-8")
    with _connection(tmp_path) as conn:
        # Its own queue name: kombu keeps declared bindings in process-wide state.
        queue = conn.SimpleQueue("jobs-after-crash")
        queue.put({"ok": True})
        assert queue.get(timeout=1).payload == {"ok": True}
        queue.close()
    assert (tmp_path / "~left-by-a-crash.partial").exists()
