"""The DynamoDB store: one item per household, written with optimistic locking.

Item: ``pk`` (S, ``h#<digest of the id>``, see ``skill.store.keys``), ``version`` (N), ``data``
(S, compact JSON) and, when set, ``expires_at`` (N, epoch seconds, the table's TTL attribute).
The caller builds the boto3 client (with ``client_config()``) and hands it in; nothing here
builds a client at import time.

Retries are the store's, not botocore's: one more attempt after a throttle, a 5xx, a timeout or
a lost connection, only while the turn's store deadline leaves room for it
(``skill.store.deadline``). A write whose answer was lost is not re-sent: it raises an
*uncertain* StoreError and the caller reads the item to learn whether it landed (the item
carries the digests of the requests that wrote it). Should a write be re-sent anyway (botocore
retries switched back on), the copy fails its version condition and the caller reads just the
same.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from skill.store.base import (
    HouseholdConflict,
    KeyedStore,
    Live,
    StoreDeadline,
    StoreError,
    is_expired,
    pack_data,
    unpack_data,
)
from skill.store.deadline import remaining
from skill.store.keys import LEGACY_PREFIX, HouseholdKeys

__all__ = ["DynamoDBHouseholdStore", "client_config", "create_table"]

log = logging.getLogger(__name__)

TTL_ATTRIBUTE = "expires_at"
CONNECT_TIMEOUT = 0.5
READ_TIMEOUT = 1.0
ATTEMPTS = 2

_CONFLICT = "ConditionalCheckFailedException"
_RETRIED_CODES = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}
_LOST_ANSWER = (ReadTimeoutError, ConnectionClosedError)
"""The request was sent and its answer never came: a write may have landed."""
_RETRIED_ERRORS = (*_LOST_ANSWER, ConnectTimeoutError, EndpointConnectionError)
# "data" is a DynamoDB reserved word; name every attribute through a placeholder.
_PROJECTION = "#v, #d, #e"
_PROJECTION_NAMES = {"#v": "version", "#d": "data", "#e": TTL_ATTRIBUTE}
# New: no item, or only an expired one (TTL deletion is lazy). Update: same version, still live.
_CONDITION_NEW = "attribute_not_exists(pk) OR #e < :now"
_CONDITION_UPDATE = "#v = :expected AND (attribute_not_exists(#e) OR #e >= :now)"
_WRITES = {"PutItem", "DeleteItem"}


def client_config() -> Config:
    """Fail fast: short timeouts and no botocore retries (the store retries, by deadline).

    No client-side parameter validation: the store builds every call's parameters itself, and
    DynamoDB validates them anyway (a fifth of a GetItem's CPU in botocore, bench/micro).
    """
    return Config(
        retries={"mode": "standard", "total_max_attempts": 1},
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        parameter_validation=False,
    )


class DynamoDBHouseholdStore(KeyedStore):
    """HouseholdStore on a DynamoDB table (see ``create_table``), through a boto3 client."""

    def __init__(
        self,
        client: BaseClient,
        table_name: str,
        *,
        clock: Callable[[], float] = time.time,
        keys: HouseholdKeys | None = None,
    ) -> None:
        self.client = client
        self.table_name = table_name
        self.keys = keys or HouseholdKeys()
        self._clock = clock

    def _get(self, key: str) -> Live | None:
        response = self._call(
            "GetItem",
            self.client.get_item,
            TableName=self.table_name,
            Key=_key(key),
            ConsistentRead=True,
            ProjectionExpression=_PROJECTION,
            ExpressionAttributeNames=_PROJECTION_NAMES,
        )
        item = response.get("Item")
        if item is None:
            return None
        version, text, expires_at = _parse(item)
        if is_expired(expires_at, self._clock()):
            return None
        return Live(version, unpack_data(text), expires_at)

    def _create(self, key: str, data: dict[str, Any], version: int, expires_at: int | None) -> None:
        self._put(key, data, version, expires_at, None)

    def _update(
        self, key: str, data: dict[str, Any], expected: int, expires_at: int | None
    ) -> None:
        self._put(key, data, expected + 1, expires_at, expected)

    def _put(
        self,
        key: str,
        data: dict[str, Any],
        version: int,
        expires_at: int | None,
        expected: int | None,
    ) -> None:
        item: dict[str, Any] = {
            **_key(key),
            "version": {"N": str(version)},
            "data": {"B": pack_data(data)},
        }
        if expires_at is not None:
            item[TTL_ATTRIBUTE] = {"N": str(int(expires_at))}
        now = {"N": repr(float(self._clock()))}
        if expected is None:
            condition, names = _CONDITION_NEW, {"#e": TTL_ATTRIBUTE}
            values = {":now": now}
        else:
            condition, names = _CONDITION_UPDATE, {"#v": "version", "#e": TTL_ATTRIBUTE}
            values = {":expected": {"N": str(expected)}, ":now": now}
        try:
            self._call(
                "PutItem",
                self.client.put_item,
                TableName=self.table_name,
                Item=item,
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except HouseholdConflict as conflict:
            conflict.found = self._found(conflict.__cause__)
            raise

    def _found(self, failure: BaseException | None) -> Live | None:
        """The live item a failed condition found (DynamoDB returns it), if it came back whole."""
        if not isinstance(failure, ClientError):
            return None
        item = failure.response.get("Item")
        if not isinstance(item, Mapping) or "data" not in item:
            return None
        try:
            version, text, expires_at = _parse(item)
            data = unpack_data(text)
        except StoreError:
            return None
        return None if is_expired(expires_at, self._clock()) else Live(version, data, expires_at)

    def _remove(self, key: str) -> None:
        self._call("DeleteItem", self.client.delete_item, TableName=self.table_name, Key=_key(key))

    def _raw_keys(self) -> Iterator[str]:
        start: dict[str, Any] = {}
        while True:
            page = self._call(
                "Scan",
                self.client.scan,
                TableName=self.table_name,
                ProjectionExpression="pk",
                FilterExpression="begins_with(pk, :raw)",
                ExpressionAttributeValues={":raw": {"S": LEGACY_PREFIX}},
                **start,
            )
            yield from (str(item["pk"]["S"]) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return
            start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}

    def close(self) -> None:
        """Close the client's connection pool (the store is the client's only user)."""
        self.client.close()

    @staticmethod
    def _call(operation: str, method: Callable[..., Any], **kwargs: Any) -> dict[str, Any]:
        """One call, retried once while the deadline leaves room; errors become StoreErrors."""
        uncertain = False
        for attempt in range(1, ATTEMPTS + 1):
            left = remaining()
            if left is not None and left <= 0:
                raise StoreDeadline(
                    f"DynamoDB {operation}: store deadline passed", uncertain=uncertain
                )
            try:
                response: dict[str, Any] = method(**kwargs)
                return response
            except ClientError as exc:
                if _error_code(exc) == _CONFLICT:
                    raise HouseholdConflict(f"DynamoDB {operation}: condition failed") from exc
                problem: StoreError = _store_error(operation, exc)
                problem.__cause__ = exc
                retry = _error_code(exc) in _RETRIED_CODES
            except BotoCoreError as exc:
                lost = operation in _WRITES and isinstance(exc, _LOST_ANSWER)
                uncertain = uncertain or lost
                problem = _store_error(operation, exc)
                problem.__cause__ = exc
                # A write whose answer was lost is not re-sent blindly: the caller reads first.
                retry = isinstance(exc, _RETRIED_ERRORS) and not lost
            problem.uncertain = uncertain
            if not retry or attempt == ATTEMPTS or not _room_for_another():
                raise problem
            time.sleep(random.uniform(0.005, 0.025))
        raise AssertionError("unreachable")


def _room_for_another() -> bool:
    """A retry starts only if it could still end (by its own timeout) within the deadline."""
    left = remaining()
    return left is None or left >= READ_TIMEOUT


def create_table(client: BaseClient, table_name: str, *, wait: bool = True) -> bool:
    """Create the households table (on-demand, key ``pk``), TTL on ``expires_at``.

    Returns False when the table already existed (TTL is still switched on if it was off).
    With ``wait`` it blocks until the table is ACTIVE. A table created here, or found empty, is
    marked as holding digest keys only (it has never seen a raw-id key: ``skill.store.base``).
    """
    created = True
    try:
        _patiently(
            client.create_table,
            TableName=table_name,
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
    except ClientError as exc:
        if _error_code(exc) != "ResourceInUseException":
            raise _store_error("CreateTable", exc) from exc
        created = False
    except BotoCoreError as exc:
        raise _store_error("CreateTable", exc) from exc
    if wait:
        try:
            client.get_waiter("table_exists").wait(
                TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 120}
            )
        except (ClientError, BotoCoreError) as exc:
            raise _store_error("DescribeTable", exc) from exc
    _enable_ttl(client, table_name)
    if wait and (created or _empty(client, table_name)):
        DynamoDBHouseholdStore(client, table_name).mark_digest_only()
    return created


def _empty(client: BaseClient, table_name: str) -> bool:
    """Whether the table holds no item at all (a create retried after a lost answer reports
    that the table existed: it is still new)."""
    try:
        page = _patiently(client.scan, TableName=table_name, Limit=1, ProjectionExpression="pk")
    except (ClientError, BotoCoreError) as exc:
        raise _store_error("Scan", exc) from exc
    return not page.get("Items") and "LastEvaluatedKey" not in page


def _patiently(method: Callable[..., Any], **kwargs: Any) -> Any:
    """An admin call, tried up to three times when its answer is slow (the store's client has
    short timeouts and no retries); a create repeated after it landed answers ResourceInUse."""
    for attempt in range(3):
        try:
            return method(**kwargs)
        except _RETRIED_ERRORS:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


# Engines without TTL (dynalite: UnknownOperation), a table still CREATING (ResourceInUse), or
# TTL already being switched on (Validation): none of these should stop the table being usable.
_TTL_IGNORED = {"UnknownOperationException", "ResourceInUseException", "ValidationException"}


def _enable_ttl(client: BaseClient, table_name: str) -> None:
    try:
        described = _patiently(client.describe_time_to_live, TableName=table_name)
        ttl = described.get("TimeToLiveDescription", {})
        if ttl.get("TimeToLiveStatus") in {"ENABLED", "ENABLING"}:
            if ttl.get("AttributeName") != TTL_ATTRIBUTE:
                log.warning(
                    "table %s has TTL on %r, not %r",
                    table_name,
                    ttl["AttributeName"],
                    TTL_ATTRIBUTE,
                )
            return
        _patiently(
            client.update_time_to_live,
            TableName=table_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
        )
    except ClientError as exc:
        if _error_code(exc) not in _TTL_IGNORED:
            raise _store_error("UpdateTimeToLive", exc) from exc
        log.warning("TTL not enabled on table %s: %s", table_name, _error_code(exc))
    except BotoCoreError as exc:
        raise _store_error("UpdateTimeToLive", exc) from exc


def _key(key: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": key}}


def _parse(item: Mapping[str, Any]) -> tuple[int, str | bytes, int | None]:
    """The item's version, its state as stored (packed bytes, or JSON text written before
    states were packed) and its expiry."""
    try:
        version = int(item["version"]["N"])
        stored = item["data"]
        text = stored["B"] if "B" in stored else stored["S"]
        expires = item.get(TTL_ATTRIBUTE)
        expires_at = None if expires is None else int(Decimal(expires["N"]))
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise StoreError("household item is malformed") from exc
    if not isinstance(text, str | bytes):
        raise StoreError("household item is malformed")
    return version, text, expires_at


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", "Unknown"))


def _store_error(operation: str, exc: Exception) -> StoreError:
    if isinstance(exc, ClientError):
        return StoreError(f"DynamoDB {operation} failed: {_error_code(exc)}")
    return StoreError(f"DynamoDB {operation} failed: {type(exc).__name__}: {exc}")
