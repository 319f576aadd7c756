"""Files stop where the site does not take them, and past the size it takes, before
anything keeps them (they are held in memory, never spooled to disk: see settings)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParserError

from clinic.network import is_admin_path


class FilesNotAccepted(MultiPartParserError):
    """A file sent anywhere but the admin: answered with the 415 page."""


class UploadTooLarge(RequestDataTooBig):
    """Files larger than REQUEST_BODY_MAX_BYTES: answered with the 413 page."""


class UploadLimitHandler(FileUploadHandler):
    """First of the upload handlers, so it sees each file before the others store it:
    refuses any file outside the admin (the public forms take none), and stops the admin's
    uploads once they pass REQUEST_BODY_MAX_BYTES, whatever length the body declared
    (RequestBodyMiddleware has already refused a body that declared more)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        if content_length > settings.REQUEST_BODY_MAX_BYTES:
            raise UploadTooLarge("The request body is larger than the site accepts.")

    def new_file(self, *args, **kwargs) -> None:
        if not is_admin_path(self.request.path_info):
            raise FilesNotAccepted("Files are accepted only in the admin.")
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.REQUEST_BODY_MAX_BYTES:
            raise UploadTooLarge("The uploaded files are larger than the site accepts.")
        return raw_data  # on to the handlers that keep it

    def file_complete(self, file_size: int) -> None:
        return None
