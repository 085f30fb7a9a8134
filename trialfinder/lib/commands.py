"""A command group whose commands are imported only when one of them runs (or is listed)."""

import importlib

import click


class LazyGroup(click.Group):
    """A click group: `commands` are loaded now, `lazy` ones ("module:name") when asked for."""

    def __init__(self, name: str, commands: dict, lazy: dict[str, str], **kwargs) -> None:
        super().__init__(name, commands=dict(commands), **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, cmd_name)
