"""The production settings on this machine over plain HTTP: the one home of their defaults.

`make serve` (scripts/serve.sh), the benchmark and the soak test all run portal.settings.prod on
loopback with these: a throwaway SECRET_KEY (sessions end with the process), loopback host
names, no HTTPS redirect and no HSTS. A default applies only where neither the environment nor
the project's .env file sets the variable; a real deployment sets its own values.

Run as a script, it prints them as shell `export` lines: scripts/serve.sh evaluates them.
"""

import os
import re
import secrets
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_MODULE = "portal.settings.prod"
DEFAULTS = {
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
}


def dotenv_names(path=ROOT / ".env"):
    """The variables the project's .env sets (Django reads their values from it itself)."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return set()
    # The line form django-environ's read_env accepts.
    return set(re.findall(r"^(?:export )?([A-Za-z_0-9]+)=", text, re.MULTILINE))


def loopback_defaults(environ=os.environ):
    """What to add to `environ`: the settings module and the defaults it and .env leave unset."""
    given = {name for name, value in environ.items() if value} | dotenv_names()
    defaults = {"DJANGO_SETTINGS_MODULE": SETTINGS_MODULE}
    defaults |= {name: value for name, value in DEFAULTS.items() if name not in given}
    if "SECRET_KEY" not in given:
        defaults["SECRET_KEY"] = secrets.token_urlsafe(50)
    if "SITE_ORIGIN" not in given:
        # The address this server answers on, so its links lead back to it.
        host = environ.get("HOST") or "127.0.0.1"
        defaults["SITE_ORIGIN"] = f"http://{host}:{environ.get('PORT') or '8000'}"
    return defaults


def loopback_env(**settings):
    """os.environ with the loopback defaults, and `settings` on top (None removes a variable)."""
    env = dict(os.environ)
    for name, value in settings.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return {**env, **loopback_defaults(env)} | {
        name: value for name, value in settings.items() if value is not None
    }


if __name__ == "__main__":
    for name, value in loopback_defaults().items():
        print(f"export {name}={shlex.quote(value)}")
