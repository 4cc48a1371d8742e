"""kombu's filesystem transport (the embedded broker of ``make run``) with atomic message files.

kombu's own ``_put`` creates ``<time>_<uuid>.<queue>.msg`` and then writes into it, while
``_get`` lists the folder, moves and reads files without taking the writer's lock: a reader
that picks a file between its creation and its write reads an empty or partial JSON document
and the worker dies with "Unrecoverable error: JSONDecodeError" (celery/kombu#1551; seen when
beat sent two sweeps in the same millisecond). Here a message is written under a temporary name
that no queue reads, then renamed into place: a reader sees the whole file or nothing.
"""

import contextlib
import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # Starts with "~" and has no ".<queue>.msg" ending: _get never takes it for a message.
        partial = os.path.join(self.data_folder_out, f"~{uuid.uuid4()}.partial")
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)  # atomic on one file system
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.remove(partial)
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
