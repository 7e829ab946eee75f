"""Services that both apps use: the content generation and its caches, translation.

The walls (checked by `make test`): `checklist.rules` imports only the standard
library; `content` imports nothing of `checklist`; neither app imports `poems_site`
(settings come through `django.conf`). Both apps may import this package, and this
package imports neither app.
"""
