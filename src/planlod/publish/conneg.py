"""Content negotiation for static hosts: Apache .htaccess and an nginx snippet.

Thing IRIs /id/X answer 303 See Other to their document /doc/X/ in the representation the
Accept header asks for; /doc/X/ itself serves index.html, index.ttl or index.jsonld by Accept.
"""

from __future__ import annotations

from ..formats import TABLE
from .context import PublishContext
from .files import write_file

HTACCESS = """# planlod: content negotiation for Apache httpd (mod_rewrite, mod_headers, mod_mime).
# If the site is not served from the root of its host, set RewriteBase to its path, e.g. /planlod/.
{addtypes}AddDefaultCharset utf-8
AddCharset utf-8 .ttl .jsonld .nt .csv .json .html
Options -MultiViews -Indexes
DirectoryIndex index.html

# Nothing under a dot folder is served (a large site keeps its on-disk store in .store/).
<IfModule mod_alias.c>
  RedirectMatch 404 "/\\."
</IfModule>

<IfModule mod_headers.c>
  Header always merge Vary Accept
  Header always set Access-Control-Allow-Origin "*"
</IfModule>

<IfModule mod_rewrite.c>
  RewriteEngine On
  RewriteBase /

  # Things: /id/X -> 303 to the document in the asked-for format.
  RewriteCond %{HTTP_ACCEPT} text/turtle
  RewriteRule ^id/(.+?)/?$ doc/$1/index.ttl [R=303,L]
  RewriteCond %{HTTP_ACCEPT} application/ld\\+json
  RewriteRule ^id/(.+?)/?$ doc/$1/index.jsonld [R=303,L]
  RewriteRule ^id/(.+?)/?$ doc/$1/ [R=303,L]

  # Documents: /doc/X/ -> index.ttl or index.jsonld when asked for, else index.html.
  RewriteCond %{HTTP_ACCEPT} text/turtle
  RewriteCond %{REQUEST_FILENAME}/index.ttl -f
  RewriteRule ^(doc/.+?)/?$ $1/index.ttl [L]
  RewriteCond %{HTTP_ACCEPT} application/ld\\+json
  RewriteCond %{REQUEST_FILENAME}/index.jsonld -f
  RewriteRule ^(doc/.+?)/?$ $1/index.jsonld [L]
</IfModule>
"""

NGINX_HTTP = """# planlod: content negotiation for nginx, part 1 of 2. Include in the http {} block
# (a map is allowed only there); part 2, nginx-planlod.conf, goes in the server block.
map $http_accept $planlod_suffix {
    default                   "";
    "~*text/turtle"           "index.ttl";
    "~*application/ld\\+json"  "index.jsonld";
}
"""

NGINX = """# planlod: content negotiation for nginx, part 2 of 2. Include inside the server block that serves
# the site, with `root` set to the site folder; nginx-planlod-http.conf goes in the http {} block.
# If the site lives under a sub-path, prefix the locations.
{types}
location ~ ^/id/(?<thing>.+?)/?$ {
    add_header Vary Accept always;
    return 303 /doc/$thing/$planlod_suffix;
}

location /doc/ {
    add_header Vary Accept always;
    add_header Access-Control-Allow-Origin "*" always;
    try_files $uri/$planlod_suffix $uri $uri/index.html =404;
}

location ~ /\\. {
    return 404;
}
"""


# The media types both configs give, from the one format table (nginx matches only the last suffix, so
# the CSVW metadata is JSON there; configuration files are not served).
_SERVED = [f for f in TABLE if f.name not in ("nginx", "htaccess") and f.suffix.startswith(".")]
_ONE_SUFFIX = [f for f in _SERVED if f.suffix.count(".") == 1]
HTACCESS = HTACCESS.replace("{addtypes}", "".join(f"AddType {f.media_type} {f.suffix}\n" for f in _SERVED))
NGINX = NGINX.replace("{types}", "types {\n" + "".join(f"    {f.media_type} {f.suffix[1:]};\n" for f in _ONE_SUFFIX)
                      + "}\ncharset utf-8;\ncharset_types "
                      + " ".join(f.media_type for f in _ONE_SUFFIX if f.name != "html") + ";\n")

def write_conneg(ctx: PublishContext) -> None:
    write_file(ctx, ".htaccess", HTACCESS)
    write_file(ctx, "nginx-planlod-http.conf", NGINX_HTTP)
    write_file(ctx, "nginx-planlod.conf", NGINX)
