"""Where media live, from the environment (read by the settings; see
``cms.operations.media`` for how they are served)."""

from urllib.parse import urlsplit

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def media_storage(environ):
    """The ``STORAGES["default"]`` entry and the origins media are served from.

    Local disk unless ``AWS_STORAGE_BUCKET_NAME`` names a bucket; then django-storages'
    S3 backend, on Amazon or on any S3-compatible store at ``AWS_S3_ENDPOINT_URL``. Its
    keys come from ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY`` (boto3 reads them).
    """
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        return LOCAL, []
    endpoint = environ.get("AWS_S3_ENDPOINT_URL", "")
    public_domain = environ.get("AWS_S3_CUSTOM_DOMAIN", "")
    region = environ.get("AWS_S3_REGION_NAME", "")
    storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint or None,
            "region_name": region or None,
            "location": environ.get("AWS_LOCATION", ""),
            # A public bucket behind a domain of its own gets plain addresses; otherwise
            # every address is signed and expires.
            "custom_domain": public_domain or None,
            "querystring_auth": not public_domain,
            "querystring_expire": int(environ.get("AWS_QUERYSTRING_EXPIRE", "3600")),
            "file_overwrite": False,  # two uploads of "foto.jpg" are two files
            "addressing_style": "path",  # S3-compatible stores answer on one host name
            "default_acl": None,
        },
    }
    if public_domain:
        origin = f"https://{public_domain.split('/')[0]}"
    elif endpoint:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(endpoint))
    else:
        origin = f"https://s3.{region or 'us-east-1'}.amazonaws.com"
    return storage, [origin]
