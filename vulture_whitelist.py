"""Names vulture cannot see used (`make test` runs it over backend/ with this file).

Vulture reads Python only. Each name here is used, but from somewhere it does not look:
keep the list short, and say why beside each group. A name that is simply unused does not
belong here: delete it from the code instead.
"""

# Read by the Jinja templates (frontend/templates), not by Python.
actor_label  # audit rows, in the console's tables
display  # a contact's number as people dial it
zone_name  # a line's time zone, under its hours
verified  # "checked on" on a directory card
may_be_out_of_date  # the caveat on a card and in the console
also  # other emergency numbers, on the overdose card
tty  # the TTY emergency number, on the overdose card
always_open  # a contact's hours
hint  # a question's hint, on the self-check
options  # a question's answers, on the self-check
intro  # the self-check's introduction
sections  # the self-check's sections
password_again  # a WTForms field, rendered by the console's templates
tokens  # Operator.tokens, listed on the console's account page
helpline  # HelplineContact.helpline, the other side of Helpline.contacts
external  # a contact that leaves Steady for the service's site (rel=noreferrer)
shared_hours  # a line's hours, shown once when all its contacts share them
reachable_contacts  # the contacts a crisis box or the overdose page offers

# Read with g.get("…") by name (a string).
lang_explicit
country_explicit
started_at
request_id

# Set for, or called by, a framework by name.
create_app  # gunicorn and flask --app "backend:create_app"
Meta  # marshmallow and WTForms options
exclude  # marshmallow Meta
impl  # SQLAlchemy TypeDecorator
cache_ok
process_bind_param
process_result_value
_serialize  # marshmallow Field
obj  # its signature
is_active  # Flask-Login's user
is_anonymous
get_id
decorators  # flask MethodView
widget  # WTForms field
option_widget
session_interface  # Flask
default_mimetype  # Flask Response
max_content_length  # Flask request
max_form_memory_size
login_view  # Flask-Login
login_message
login_message_category
session_protection
trust_env  # requests.Session
exc  # __exit__(self, *exc)
expirationTime  # the browser's PushSubscription.toJSON() field name

# Kept for the tests that hold two implementations equal.
as_dict  # the Python scorer's result, compared with the JavaScript scorer's
MESSAGE_KEYS  # the reminder messages the API accepts, in the form's order

# Used by urllib3, requests and Flask-Login by name (the SSRF guard and the console session).
_new_conn  # urllib3 HTTPConnection: how a pooled connection opens its socket
ConnectionCls  # urllib3 connection pool: the connection class it makes
pool_classes_by_scheme  # urllib3 PoolManager: the pool class per scheme
_session_identifier_generator  # Flask-Login: the "strong" session identifier
sign_in_refused  # read with g.get("sign_in_refused") in views_auth.py
BodyDeadline  # wrapped around the app in backend/gunicorn_conf.py (vulture skips that file)
direct_passthrough  # werkzeug Response: turned off so backend/compression.py reads a file whole

# A helpline proposal's decision (four eyes, issue 13): kept for the record, dumped by the
# API's ProposalSchema by attribute name.
author
decided_by
decided_at
decided_by_id
decided_by_label
