"""The Lambda handler fed through SQS, with a dead-letter queue.

moto_server is an AWS *emulator*, not a store: it is used here only for what no
real component on this machine gives -- S3 -> SQS notifications in AWS' shape
(``s3:TestEvent`` first, URL-encoded keys, suffix filter) and SQS redelivery
with a redrive policy.  The objects are read from the real store (SeaweedFS),
which holds the same bytes under the same bucket and keys.
"""

from __future__ import annotations

import json
import os
import uuid
from urllib.parse import unquote_plus

from events_support import CAT, IMG, example_bytes, read_json

from hlsp.events import lambda_handler
from hlsp.events.records import report_key


def _receive(sqs, url: str, n: int, visibility: int = 60) -> list[dict]:
    """The next ``n`` messages (long polls: returns as soon as they are there)."""
    got: list[dict] = []
    for _ in range(120):
        if len(got) >= n:
            break
        r = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=5,
            VisibilityTimeout=visibility,
            AttributeNames=["All"],
        )
        got += r.get("Messages", [])
    assert len(got) == n, f"{len(got)} of {n} messages"
    return got


def _lambda_batch(messages: list[dict]) -> dict:
    """What Lambda's SQS trigger hands the function."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "eventSource": "aws:sqs",
            }
            for m in messages
        ]
    }


def test_sqs_batch_partial_failure_and_dead_letter_redrive(moto_server, s3_server, monkeypatch):
    for k, v in s3_server.env().items():  # the handler reads from the real store
        monkeypatch.setenv(k, v)
    s3m, sqs = moto_server.client("s3"), moto_server.client("sqs")
    bucket = "t-" + uuid.uuid4().hex[:16]
    s3m.create_bucket(Bucket=bucket)
    real = s3_server.client()
    real.create_bucket(Bucket=bucket)
    dlq = sqs.create_queue(QueueName=f"dlq-{bucket}")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"})
    q = sqs.create_queue(QueueName=f"q-{bucket}", Attributes={"RedrivePolicy": redrive})["QueueUrl"]
    q_arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    s3m.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={
            "QueueConfigurations": [
                {
                    "QueueArn": q_arn,
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "suffix", "Value": ".fits"}]}},
                }
            ]
        },
    )
    [test_event] = _receive(sqs, q, 1)
    assert json.loads(test_event["Body"])["Event"] == "s3:TestEvent"
    good, refused = f"up/run 1/{IMG}", f"up/{CAT}"
    for key, data in ((good, example_bytes(IMG)), (refused, example_bytes(CAT)), ("up/notes.txt", b"filtered out")):
        s3m.put_object(Bucket=bucket, Key=key, Body=data)
    real.put_object(Bucket=bucket, Key=good, Body=example_bytes(IMG))
    # in the real store the second object is encrypted with a key we do not have: it refuses to serve it
    real.put_object(
        Bucket=bucket,
        Key=refused,
        Body=example_bytes(CAT),
        SSECustomerAlgorithm="AES256",
        SSECustomerKey=os.urandom(32),
    )
    messages = [test_event] + _receive(sqs, q, 2)
    by_key = {}
    for m in messages[1:]:
        raw = json.loads(m["Body"])["Records"][0]["s3"]["object"]["key"]
        by_key[unquote_plus(raw)] = m
        assert raw != unquote_plus(raw)  # keys arrive URL-encoded
    assert sorted(by_key) == sorted([good, refused])  # notes.txt: filtered out by the suffix rule

    out = lambda_handler(_lambda_batch(messages), None)
    failed_id = next(m["MessageId"] for m in messages[1:] if CAT in m["Body"])
    assert out["batchItemFailures"] == [{"itemIdentifier": failed_id}]
    etag = real.head_object(Bucket=bucket, Key=good)["ETag"].strip('"')
    assert [(r["key"], r["etag"]) for r in out["results"]] == [(good, etag)]
    assert read_json(real, bucket, report_key(good, etag))["key"] == good
    # Lambda deletes the messages that succeeded; the failed one comes back when its visibility ends
    for m in messages:
        if m["MessageId"] != failed_id:
            sqs.delete_message(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"])
    receipt = next(m["ReceiptHandle"] for m in messages if m["MessageId"] == failed_id)
    for attempt in (2, 3):
        sqs.change_message_visibility(
            QueueUrl=q, ReceiptHandle=receipt, VisibilityTimeout=0
        )  # (instead of waiting it out)
        if attempt == 3:
            break
        [again] = _receive(sqs, q, 1)
        assert again["MessageId"] == failed_id and again["Attributes"]["ApproximateReceiveCount"] == str(attempt)
        assert lambda_handler(_lambda_batch([again]), None)["batchItemFailures"] == [{"itemIdentifier": failed_id}]
        receipt = again["ReceiptHandle"]
    # past maxReceiveCount the queue moves it to the dead-letter queue, with the event intact
    assert sqs.receive_message(QueueUrl=q, WaitTimeSeconds=1).get("Messages", []) == []
    [dead] = _receive(sqs, dlq, 1)
    assert dead["MessageId"] == failed_id
    assert unquote_plus(json.loads(dead["Body"])["Records"][0]["s3"]["object"]["key"]) == refused
    # the good message redelivered (at-least-once) does nothing
    assert lambda_handler(_lambda_batch([by_key[good]]), None) == {"batchItemFailures": [], "results": []}
