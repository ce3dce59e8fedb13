"""The DynamoDB store: one item per household, written with optimistic locking.

Item: ``pk`` (S, ``household#<id>``), ``version`` (N), ``data`` (S, compact JSON) and, when set,
``expires_at`` (N, epoch seconds, the table's TTL attribute). The caller builds the boto3 client
(with ``client_config()``) and hands it in; nothing here builds a client at import time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from skill.store.base import (
    HouseholdConflict,
    StoredHousehold,
    StoreError,
    decode_data,
    encode_data,
    household_key,
    is_expired,
    next_version,
)

__all__ = ["DynamoDBHouseholdStore", "client_config", "create_table"]

log = logging.getLogger(__name__)

TTL_ATTRIBUTE = "expires_at"

_CONFLICT = "ConditionalCheckFailedException"
# "data" is a DynamoDB reserved word; name every attribute through a placeholder.
_PROJECTION = "#v, #d, #e"
_PROJECTION_NAMES = {"#v": "version", "#d": "data", "#e": TTL_ATTRIBUTE}
# New: no item, or only an expired one (TTL deletion is lazy). Update: same version, still live.
_CONDITION_NEW = "attribute_not_exists(pk) OR #e < :now"
_CONDITION_UPDATE = "#v = :expected AND (attribute_not_exists(#e) OR #e >= :now)"


def client_config() -> Config:
    """Fail fast: one retry at most, short timeouts (a turn has a few seconds in all)."""
    return Config(
        retries={"mode": "standard", "total_max_attempts": 2},
        connect_timeout=0.5,
        read_timeout=1.0,
    )


class DynamoDBHouseholdStore:
    """HouseholdStore on a DynamoDB table (see ``create_table``), through a boto3 client."""

    def __init__(
        self,
        client: BaseClient,
        table_name: str,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.table_name = table_name
        self._clock = clock

    def load(self, household_id: str) -> StoredHousehold | None:
        response = self._call(
            "GetItem",
            self.client.get_item,
            TableName=self.table_name,
            Key=_key(household_id),
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
        return StoredHousehold(household_id, version, decode_data(text))

    def save(
        self,
        household_id: str,
        data: dict[str, Any],
        expected_version: int | None,
        *,
        expires_at: int | None = None,
    ) -> int:
        version = next_version(expected_version)
        item: dict[str, Any] = {
            **_key(household_id),
            "version": {"N": str(version)},
            "data": {"S": encode_data(data)},
        }
        if expires_at is not None:
            item[TTL_ATTRIBUTE] = {"N": str(int(expires_at))}
        now = {"N": repr(float(self._clock()))}
        if expected_version is None:
            condition = _CONDITION_NEW
            names = {"#e": TTL_ATTRIBUTE}
            values = {":now": now}
        else:
            condition = _CONDITION_UPDATE
            names = {"#v": "version", "#e": TTL_ATTRIBUTE}
            values = {":expected": {"N": str(expected_version)}, ":now": now}
        try:
            self._call(
                "PutItem",
                self.client.put_item,
                TableName=self.table_name,
                Item=item,
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except HouseholdConflict:
            if expected_version is None:
                raise HouseholdConflict(f"household {household_id!r} already exists") from None
            raise HouseholdConflict(
                f"household {household_id!r} is no longer at version {expected_version}"
            ) from None
        return version

    def delete(self, household_id: str) -> None:
        self._call(
            "DeleteItem",
            self.client.delete_item,
            TableName=self.table_name,
            Key=_key(household_id),
        )

    def close(self) -> None:
        """Close the client's connection pool (the store is the client's only user)."""
        self.client.close()

    @staticmethod
    def _call(operation: str, method: Callable[..., Any], **kwargs: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = method(**kwargs)
        except ClientError as exc:
            if _error_code(exc) == _CONFLICT:
                raise HouseholdConflict(f"DynamoDB {operation}: condition failed") from exc
            raise _store_error(operation, exc) from exc
        except BotoCoreError as exc:
            raise _store_error(operation, exc) from exc
        return response


def create_table(client: BaseClient, table_name: str, *, wait: bool = True) -> bool:
    """Create the households table (on-demand, key ``pk``), TTL on ``expires_at``.

    Returns False when the table already existed (TTL is still switched on if it was off).
    With ``wait`` it blocks until the table is ACTIVE.
    """
    created = True
    try:
        client.create_table(
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
    return created


# Engines without TTL (dynalite: UnknownOperation), a table still CREATING (ResourceInUse), or
# TTL already being switched on (Validation): none of these should stop the table being usable.
_TTL_IGNORED = {"UnknownOperationException", "ResourceInUseException", "ValidationException"}


def _enable_ttl(client: BaseClient, table_name: str) -> None:
    try:
        described = client.describe_time_to_live(TableName=table_name)
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
        client.update_time_to_live(
            TableName=table_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
        )
    except ClientError as exc:
        if _error_code(exc) not in _TTL_IGNORED:
            raise _store_error("UpdateTimeToLive", exc) from exc
        log.warning("TTL not enabled on table %s: %s", table_name, _error_code(exc))
    except BotoCoreError as exc:
        raise _store_error("UpdateTimeToLive", exc) from exc


def _key(household_id: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": household_key(household_id)}}


def _parse(item: Mapping[str, Any]) -> tuple[int, str, int | None]:
    try:
        version = int(item["version"]["N"])
        text = item["data"]["S"]
        expires = item.get(TTL_ATTRIBUTE)
        expires_at = None if expires is None else int(Decimal(expires["N"]))
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise StoreError("household item is malformed") from exc
    if not isinstance(text, str):
        raise StoreError("household item is malformed")
    return version, text, expires_at


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", "Unknown"))


def _store_error(operation: str, exc: Exception) -> StoreError:
    if isinstance(exc, ClientError):
        return StoreError(f"DynamoDB {operation} failed: {_error_code(exc)}")
    return StoreError(f"DynamoDB {operation} failed: {type(exc).__name__}: {exc}")
