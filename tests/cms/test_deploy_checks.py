import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def check_deploy(**environ):
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")
        },
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
        **environ,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_check_deploy():
    result = check_deploy(REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    result = check_deploy()
    assert result.returncode != 0
    assert "Set REDIS_URL in the environment for production." in result.stderr
