"""
What the Huawei Cloud scenarios (sms.py, dcs.py) share: a service client built the way a user
builds one, and the check of the SDK's exceptions.
"""

import re

from common import expect
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkcore.region.region import Region

REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")


def huawei_client(s, client_class, retry_times=0):
    """A client of `client_class` against the emulator, with the scenario's AK/SK."""
    hw = s.ctx["huawei"]
    cfg = HttpConfig.get_default_config()
    cfg.retry_times = retry_times
    cfg.timeout = (5, 10)
    # No project id: the SDK asks IAM for the project of the region, as a user's first call does.
    cred = BasicCredentials(hw["accessKey"], hw["secretKey"]).with_iam_endpoint(s.url)
    return (
        client_class.new_builder()
        .with_credentials(cred)
        .with_region(Region(hw["region"], s.url))
        .with_http_config(cfg)
        .build()
    )


def vendor_error(status, code):
    """A check of a ClientRequestException / ServerResponseException: the vendor's fields."""

    def check(e):
        return (
            expect(e.status_code == status, f"status {e.status_code}, expected {status}")
            + expect(e.error_code == code, f"error_code {e.error_code!r}, expected {code!r}")
            + expect(bool(e.error_msg), "no error_msg")
            + expect(REQUEST_ID.match(e.request_id or "") is not None, f"request_id {e.request_id!r}")
        )

    return check
