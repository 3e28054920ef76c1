"""Messages to people: the outbox, the templates in five languages, the channels and
their delivery with retries. A low layer: it knows no feature; ``garita.notify``
decides which events become messages, and any feature may :func:`service.enqueue`."""
