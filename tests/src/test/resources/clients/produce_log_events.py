#!/usr/bin/env python3
"""Produces LogEvent records to Kafka the way a forwarder outside the JVM would: librdkafka
(confluent-kafka) and the Python Avro library, in Avro single-object encoding.

usage: produce_log_events.py BOOTSTRAP TOPIC SCHEMA.avsc CUSTOMER COUNT

Each record carries RecordId "<CUSTOMER>:<n>" and Customer, as the Java fixtures do, and a few
values only a non-Java writer tends to produce (non-ASCII text, a float, a null, a bool).
"""
import io
import sys
import time

import avro.io
import avro.schema
from confluent_kafka import Producer

EMPTY = 0xC15D213AA4D7A795


def _table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (EMPTY & -(fp & 1))
        table.append(fp)
    return table


TABLE = _table()


def crc64_avro(data):
    """The Avro spec's CRC-64-AVRO fingerprint of a schema's canonical form."""
    fp = EMPTY
    for b in data:
        fp = (fp >> 8) ^ TABLE[(fp ^ b) & 0xFF]
    return fp


def main(bootstrap, topic, schema_path, customer, count):
    with open(schema_path, encoding="utf-8") as f:
        schema = avro.schema.parse(f.read())
    fingerprint = crc64_avro(schema.canonical_form.encode("utf-8"))
    header = b"\xc3\x01" + fingerprint.to_bytes(8, "little")
    writer = avro.io.DatumWriter(schema)
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    now = int(time.time() * 1_000_000)
    for n in range(count):
        event = {
            "customer_id": customer,
            "dataset": "http_requests",
            "timestamp_micros": now + n,
            "fields": {
                "RecordId": f"{customer}:{n}",
                "Customer": customer,
                "EdgeResponseStatus": 200,
                "ClientRequestPath": "/caf\u00e9/\u65e5\u672c/\U0001F600",
                "OriginResponseTime": 0.25,
                "WAFAction": None,
                "CacheHit": n % 2 == 0,
            },
        }
        out = io.BytesIO()
        writer.write(event, avro.io.BinaryEncoder(out))
        producer.produce(topic, value=header + out.getvalue())
        producer.poll(0)
    left = producer.flush(30)
    if left:
        sys.exit(f"{left} records not acknowledged")


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
