"""Content negotiation for static hosts: Apache .htaccess and an nginx snippet.

Thing IRIs /id/X answer 303 See Other to their document /doc/X/ in the representation the
Accept header asks for; /doc/X/ itself serves index.html, index.ttl or index.jsonld by Accept.
"""

from __future__ import annotations

from .context import PublishContext
from .files import write_file

HTACCESS = """# planlod: content negotiation for Apache httpd (mod_rewrite, mod_headers, mod_mime).
# If the site is not served from the root of its host, set RewriteBase to its path, e.g. /planlod/.
AddType text/turtle .ttl
AddType application/ld+json .jsonld
AddType application/n-triples .nt
AddType text/csv .csv
AddType application/csvm+json .csv-metadata.json
AddDefaultCharset utf-8
AddCharset utf-8 .ttl .jsonld .nt .csv .json .html
Options -MultiViews -Indexes
DirectoryIndex index.html

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
types {
    text/html html;
    text/css css;
    image/svg+xml svg;
    text/javascript js;
    text/turtle ttl;
    application/ld+json jsonld;
    application/n-triples nt;
    text/csv csv;
    application/json json;
    application/sparql-query rq;
}
charset utf-8;
charset_types text/css text/turtle application/ld+json application/n-triples text/csv application/json;

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


def write_conneg(ctx: PublishContext) -> None:
    write_file(ctx, ".htaccess", HTACCESS, "text/plain")
    write_file(ctx, "nginx-planlod-http.conf", NGINX_HTTP, "text/plain")
    write_file(ctx, "nginx-planlod.conf", NGINX, "text/plain")
