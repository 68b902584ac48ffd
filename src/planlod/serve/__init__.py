"""Serving: the site with content negotiation and a read-only SPARQL endpoint."""

from .app import PlanlodServer, ServerSettings, create_server
from .sparql import EndpointSettings

__all__ = ["EndpointSettings", "PlanlodServer", "ServerSettings", "create_server"]
