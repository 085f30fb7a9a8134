"""Templates compiled once per process are reused only for the same source and options."""

from jinja2 import DictLoader, Environment

from trialfinder.templating import CompiledTemplates


def environment(cache, source: str, **options) -> Environment:
    return Environment(loader=DictLoader({"page.html": source}), bytecode_cache=cache, **options)


def test_a_second_environment_reuses_the_compiled_template():
    cache = CompiledTemplates()
    assert environment(cache, "{{ 1 + 1 }}").get_template("page.html").render() == "2"
    assert len(cache.compiled) == 1
    assert environment(cache, "{{ 1 + 1 }}").get_template("page.html").render() == "2"
    assert len(cache.compiled) == 1


def test_a_changed_source_is_compiled_again():
    cache = CompiledTemplates()
    assert environment(cache, "old").get_template("page.html").render() == "old"
    assert environment(cache, "new").get_template("page.html").render() == "new"


def test_options_that_shape_the_code_are_not_mixed():
    cache = CompiledTemplates()
    source = "{% if true %}\n  x\n{% endif %}"
    plain = environment(cache, source).get_template("page.html").render()
    trimmed = environment(cache, source, trim_blocks=True, lstrip_blocks=True)
    assert trimmed.get_template("page.html").render() == "  x\n"
    assert plain == "\n  x\n"
    assert len(cache.compiled) == 2


def test_every_app_shares_the_process_cache(app, make_app):
    other = make_app(SECRET_KEY="another")
    assert app.jinja_env.bytecode_cache is other.jinja_env.bytecode_cache
    assert app.jinja_env.bytecode_cache is not None
