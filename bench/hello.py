"""The floor: a bare Flask app that says hello, served exactly like trialfinder."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
