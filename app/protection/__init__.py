"""Request protection: what guards every request before, around and after the views.

* ``security``: security headers on every response, the session cookie's Secure flag, the API's rate limits;
* ``input_check``: text a database cannot store (a NUL, a lone surrogate) gets 400 before any view;
* ``body_limit``: a streamed (chunked) body over ``MAX_CONTENT_LENGTH`` gets 413, as one with a length does;
* ``ratelimits``: the Flask-Limiter limits (new responses, PDFs, posts, logins) and where the counters live.

Wiring: the app factory (``app/__init__.py``) calls each module's ``init_app`` at its own place, because
the order of registration matters: ``ratelimits`` before ``limiter.init_app`` (it sets the storage's
options); ``input_check``'s ``before_request`` after the CSRF check's and the limiter's (a refused request
still counts); ``security``'s ``after_request`` after the request log's; ``body_limit`` wraps the WSGI app.
This package's ``__init__`` imports none of them: ``app.errors`` imports ``ratelimits``, and
``input_check`` imports ``app.errors``.
"""
