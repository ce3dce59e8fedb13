"""The deployment files: the CloudFormation stack lints clean and grants only what the store needs;
the container runs gunicorn as a non-root user with a health check."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint_file
from cfnlint.decode import cfn_yaml
from gunicorn.config import Config

from skill.store.dynamodb import TTL_ATTRIBUTE

ROOT = Path(__file__).resolve().parent.parent
INFRA = ROOT / "infra"
TEMPLATES = sorted(INFRA.glob("*.yaml"))
STACK = INFRA / "closer-together.yaml"
REGIONS = ["us-east-1", "eu-west-1", "us-west-2"]
"""App Runner regions nearest the three Alexa endpoint regions (NA, EU, FE)."""
ITEM_ACTIONS = {
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
}


def test_there_is_a_template() -> None:
    assert STACK in TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_cfn_lint_passes(template: Path) -> None:
    matches = lint_file(template, ManualArgs(regions=REGIONS))
    assert [f"{m.rule.id} line {m.linenumber}: {m.message}" for m in matches] == []


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    return cfn_yaml.load(str(STACK))


def resources(stack: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        name: resource for name, resource in stack["Resources"].items() if resource["Type"] == kind
    }


def only(stack: dict[str, Any], kind: str) -> tuple[str, dict[str, Any]]:
    found = resources(stack, kind)
    assert len(found) == 1, f"expected one {kind}, found {sorted(found)}"
    return next(iter(found.items()))


def test_the_table_matches_the_store(stack: dict[str, Any]) -> None:
    _, table = only(stack, "AWS::DynamoDB::Table")
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert props["AttributeDefinitions"] == [{"AttributeName": "pk", "AttributeType": "S"}]
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert props["TimeToLiveSpecification"] == {"AttributeName": TTL_ATTRIBUTE, "Enabled": True}
    assert props["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"


def statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        statement
        for policy in role["Properties"].get("Policies", [])
        for statement in policy["PolicyDocument"]["Statement"]
    ]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def instance_role(stack: dict[str, Any]) -> str:
    _, service = only(stack, "AWS::AppRunner::Service")
    arn = service["Properties"]["InstanceConfiguration"]["InstanceRoleArn"]
    assert arn["Fn::GetAtt"][1] == "Arn"
    return str(arn["Fn::GetAtt"][0])


def test_the_instance_role_may_only_touch_items_of_that_one_table(stack: dict[str, Any]) -> None:
    table_name, _ = only(stack, "AWS::DynamoDB::Table")
    role = stack["Resources"][instance_role(stack)]
    trust = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert [s["Principal"] for s in trust] == [{"Service": "tasks.apprunner.amazonaws.com"}]
    assert "ManagedPolicyArns" not in role["Properties"]
    granted = statements(role)
    assert all(s["Effect"] == "Allow" and "NotAction" not in s for s in granted)
    on_table = [s for s in granted if s["Resource"] == {"Fn::GetAtt": [table_name, "Arn"]}]
    assert {a for s in on_table for a in as_list(s["Action"])} == ITEM_ACTIONS
    secret, _ = only(stack, "AWS::SecretsManager::Secret")
    others = [s for s in granted if s not in on_table]
    assert others == [
        {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": {"Ref": secret}}
    ]


def test_the_household_key_secret_is_generated_kept_and_given_to_the_service(
    stack: dict[str, Any],
) -> None:
    name, secret = only(stack, "AWS::SecretsManager::Secret")
    assert secret["DeletionPolicy"] == secret["UpdateReplacePolicy"] == "Retain"
    assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 16
    _, service = only(stack, "AWS::AppRunner::Service")
    image = service["Properties"]["SourceConfiguration"]["ImageRepository"]
    secrets = image["ImageConfiguration"]["RuntimeEnvironmentSecrets"]
    assert secrets == [{"Name": "CLOSER_HOUSEHOLD_SECRET", "Value": {"Ref": name}}]


def test_no_other_role_can_reach_dynamodb(stack: dict[str, Any]) -> None:
    for name, role in resources(stack, "AWS::IAM::Role").items():
        if name == instance_role(stack):
            continue
        actions = [a for s in statements(role) for a in as_list(s["Action"])]
        assert not [a for a in actions if a.startswith("dynamodb:") or a == "*"], name
        for arn in role["Properties"].get("ManagedPolicyArns", []):
            assert "AppRunnerServicePolicyForECRAccess" in str(arn), (name, arn)


def test_the_service_runs_the_image_with_the_settings_the_app_reads(stack: dict[str, Any]) -> None:
    table_name, _ = only(stack, "AWS::DynamoDB::Table")
    _, service = only(stack, "AWS::AppRunner::Service")
    props = service["Properties"]
    image = props["SourceConfiguration"]["ImageRepository"]
    assert image["ImageIdentifier"] == {"Ref": "ImageUri"}
    assert image["ImageConfiguration"]["Port"] == "8080"
    variables = image["ImageConfiguration"]["RuntimeEnvironmentVariables"]
    env = {variable["Name"]: variable["Value"] for variable in variables}
    assert env["CLOSER_STORE"] == "dynamodb"
    assert env["CLOSER_DYNAMODB_TABLE"] == {"Ref": table_name}
    assert env["AWS_REGION"] == {"Ref": "AWS::Region"}
    assert env["CLOSER_SKILL_ID"] == {"Ref": "SkillId"}
    assert "CLOSER_VERIFY" not in env
    health = props["HealthCheckConfiguration"]
    assert (health["Protocol"], health["Path"]) == ("HTTP", "/healthz")
    assert "EndpointUrl" in stack["Outputs"]
    assert "/alexa" in stack["Outputs"]["EndpointUrl"]["Value"]["Fn::Sub"]


@pytest.mark.parametrize(
    ("parameter", "good", "bad"),
    [
        (
            "ImageUri",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/closer-together:1.0.0",
            "closer-together:latest",
        ),
        (
            "SkillId",
            "amzn1.ask.skill.89751fb9-1ee4-4b1a-9d3e-2f8a0dc7a3b1",
            "amzn1.ask.skill.",
        ),
    ],
)
def test_parameters_reject_obvious_mistakes(
    stack: dict[str, Any], parameter: str, good: str, bad: str
) -> None:
    pattern = re.compile(stack["Parameters"][parameter]["AllowedPattern"])
    assert pattern.match(good)
    assert not pattern.match(bad)


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (INFRA / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip())
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_the_dockerfile_runs_infra_serve_as_a_non_root_user() -> None:
    steps = dockerfile_instructions()
    kinds = [kind for kind, _ in steps]
    assert steps[0] == ("FROM", "python:3.12-slim")
    users = [value for kind, value in steps if kind == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert kinds.index("USER") < kinds.index("CMD")
    cmd = next(value for kind, value in steps if kind == "CMD")
    assert [part.strip('"') for part in shlex.split(cmd.strip("[]").replace(",", " "))] == [
        "python",
        "infra/serve.py",
    ]
    health = next(value for kind, value in steps if kind == "HEALTHCHECK")
    assert "/healthz" in health and "urllib" in health
    assert ("EXPOSE", "8080") in steps
    copied = " ".join(value for kind, value in steps if kind == "COPY")
    for source in ("pyproject.toml", "skill/", "content/", "interaction_models/", "infra/serve.py"):
        assert source in copied
    assert any(kind == "RUN" and "pip install --no-cache-dir ." in v for kind, v in steps)
    env = " ".join(value for kind, value in steps if kind == "ENV")
    assert "CLOSER_CONTENT_DIR=/app/content" in env


def load_gunicorn_conf(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    for name in ("PORT", "GUNICORN_WORKERS", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gunicorn_conf", INFRA / "gunicorn.conf.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_gunicorn_config_loads_and_gunicorn_accepts_every_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conf = load_gunicorn_conf(monkeypatch)
    cfg = Config()
    for name, value in vars(conf).items():
        if name in cfg.settings:
            cfg.set(name, value)
    assert cfg.bind == ["0.0.0.0:8080"]
    assert (cfg.workers, cfg.threads, cfg.worker_class_str) == (2, 4, "gthread")
    assert cfg.timeout == 10
    assert cfg.accesslog is None
    assert cfg.forwarded_allow_ips


def test_the_gunicorn_config_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = load_gunicorn_conf(monkeypatch, PORT="9000", GUNICORN_WORKERS="3")
    assert conf.bind == "0.0.0.0:9000"
    assert conf.workers == 3
