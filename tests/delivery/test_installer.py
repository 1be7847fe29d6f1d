"""installer.iss: the Windows installer script compiles with no warning, and says what it must.

Two kinds of test:

* the compile: Inno Setup's real compiler (ISCC.exe from npm's ``innosetup``, run under
  wine) checks the script against the frozen build. The Windows build cannot be made on
  Linux, so the Linux one is packed (its executable has no ``.exe``); compiling with
  ``/O-`` reads every file the script names and fails when one is missing, without
  spending minutes compressing a setup nobody runs. Without wine or the compiler these
  tests fail, naming the step that installs them (``tools/bootstrap.sh installer``);
* static checks that need no compiler: the sections, the fixed AppId, the version taken
  from the package, per-user install, the file types, the uninstall question, and our
  Simplified Chinese messages file, which must have exactly the message keys of the
  compiler's English Default.isl and translate them.
"""

from __future__ import annotations

import configparser
import re
import sys
import uuid
from pathlib import Path
from unittest import mock

import pytest

from subtitle_studio import __version__
from subtitle_studio.core import paths
from subtitle_studio.core.media_types import MEDIA_EXTENSIONS, SUBTITLE_EXTENSIONS
from tests.delivery.conftest import BUILD_TIMEOUT_S
from tests.support.tools import load_tool

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "installer.iss"
CHINESE_ISL = REPO / "installer" / "ChineseSimplified.isl"
#: Windows knows the installed application by this id: it must never change.
APP_ID = "1065A91F-BE17-4699-AB3C-269BA93266A4"
#: The name the frozen build's executable has on Linux (no .exe).
LINUX_EXE = "SubtitleStudio"


ci = load_tool("compile_installer")


def script_text() -> str:
    return SCRIPT.read_text(encoding="utf-8-sig")


def sections(text: str) -> dict[str, list[str]]:
    """The script's lines by section, without comments and preprocessor lines."""
    found: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";") or line.startswith("#"):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = header.group(1)
            found.setdefault(current, [])
        elif current:
            found[current].append(line)
    return found


def entry_params(line: str) -> dict[str, str]:
    """``Name: "x"; Flags: y`` → {"Name": "x", "Flags": "y"} (Inno's "" escapes a quote)."""
    params: dict[str, str] = {}
    for match in re.finditer(r'(\w+):\s*("(?:[^"]|"")*"|[^;]*)\s*(?:;|$)', line):
        value = match.group(2).strip()
        if value.startswith('"'):
            value = value[1:-1].replace('""', '"')
        params[match.group(1)] = value
    return params


def directives(lines: list[str]) -> dict[str, str]:
    return dict(line.split("=", 1) for line in lines if "=" in line)


def read_isl(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",), strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    text = path.read_text(encoding="utf-8-sig")
    parser.read_string("\n".join(line for line in text.splitlines() if not line.startswith(";")))
    return parser


def default_isl() -> Path:
    path = ci.npm_default_isl()
    if not path.is_file():
        pytest.fail(
            f"Inno Setup's Default.isl is missing ({path}): the compiler is not installed; "
            f"{ci.BOOTSTRAP_HINT}"
        )
    return path


def compile_or_fail(build_dir: Path, exe_name: str, **kwargs):
    try:
        return ci.compile_installer(build_dir, exe_name, check_only=True, **kwargs)
    except ci.CompilerMissing as exc:
        pytest.fail(f"cannot compile installer.iss: {exc}")


# --- The compile -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT_S + 300)
def test_the_script_compiles_against_the_frozen_build_with_no_warning(frozen_build: Path) -> None:
    assert (frozen_build / LINUX_EXE).is_file(), f"no {LINUX_EXE} in {frozen_build}"
    result = compile_or_fail(frozen_build, LINUX_EXE)
    assert result.returncode == 0, f"ISCC failed: {result.command}\n{result.output}"
    assert result.warnings == [], "ISCC warned:\n" + "\n".join(result.warnings)
    assert "Successful compile" in result.output, result.output


def test_the_compile_fails_when_a_file_of_the_build_is_missing(tmp_path: Path) -> None:
    """/O- still checks every Source file: a build without the executable is refused."""
    build = tmp_path / "SubtitleStudio"
    (build / "_internal").mkdir(parents=True)
    (build / "_internal" / "library.bin").write_bytes(b"x")
    result = compile_or_fail(build, LINUX_EXE)
    assert result.returncode != 0, result.output
    assert "does not exist" in result.output, result.output


def test_a_compiler_warning_fails_the_compile(tmp_path: Path) -> None:
    """The same script with a deprecated architecture name: ISCC warns, so it is not ok."""
    build = tmp_path / "SubtitleStudio"
    build.mkdir()
    (build / LINUX_EXE).write_bytes(b"x")
    (build / "library.bin").write_bytes(b"x")
    copy = tmp_path / "installer.iss"
    text = script_text().replace("ArchitecturesAllowed=x64compatible", "ArchitecturesAllowed=x64")
    # Relative paths in the copy are still the repository's.
    source_dir = ci.windows_path(REPO, sys.platform != "win32")
    text = text.replace("[Setup]\n", f"[Setup]\nSourceDir={source_dir}\n", 1)
    text = text.replace("[Setup]\r\n", f"[Setup]\r\nSourceDir={source_dir}\r\n", 1)
    copy.write_text(text, encoding="utf-8-sig")
    result = compile_or_fail(build, LINUX_EXE, script=copy)
    assert result.returncode == 0, result.output
    assert any("x64" in line for line in result.warnings), result.output
    assert not result.ok


def test_warning_lines_are_found_in_the_compiler_output() -> None:
    output = (
        "Parsing [Files] section, line 99\nWarning: Something is deprecated.\nSuccessful compile"
    )
    result = ci.CompileResult(0, output, [])
    assert result.warnings == ["Warning: Something is deprecated."]
    assert not result.ok
    assert ci.CompileResult(0, "Successful compile (0.02 sec).", []).ok


# --- Static checks (no compiler needed) --------------------------------------------------


def test_the_script_has_every_section() -> None:
    found = sections(script_text())
    for name in (
        "Setup",
        "Languages",
        "CustomMessages",
        "Tasks",
        "Files",
        "Icons",
        "Registry",
        "Run",
        "Code",
    ):
        assert found.get(name), f"installer.iss has no (or an empty) [{name}] section"


def test_the_app_id_is_the_fixed_guid_and_the_version_comes_from_the_package() -> None:
    text = script_text()
    setup = directives(sections(text)["Setup"])
    assert setup["AppId"] == "{{" + APP_ID + "}", setup["AppId"]
    assert str(uuid.UUID(APP_ID)).upper() == APP_ID
    assert setup["AppVersion"] == "{#AppVersion}"
    assert re.search(r"#ifndef AppVersion\s*\r?\n\s*#error ", text), "no #error without AppVersion"
    assert __version__ not in text, (
        "the version is typed in installer.iss: it must come from ISCC /D"
    )
    assert ci.package_version() == __version__


def test_it_installs_per_user_by_default_with_an_all_users_option() -> None:
    setup = directives(sections(script_text())["Setup"])
    assert setup["PrivilegesRequired"] == "lowest"
    assert set(setup["PrivilegesRequiredOverridesAllowed"].split()) == {"dialog", "commandline"}
    assert setup["DefaultDirName"].startswith("{autopf}")
    assert setup["ChangesAssociations"] == "yes"
    assert setup["SetupIconFile"] == r"resources\icons\subtitle-studio.ico"


def test_every_literal_file_the_script_names_exists() -> None:
    found = sections(script_text())
    named = [directives(found["Setup"])["SetupIconFile"]]
    named += [entry_params(line)["Source"] for line in found["Files"]]
    named += [entry_params(line)["MessagesFile"] for line in found["Languages"]]
    literal = [name for name in named if "{#" not in name and not name.startswith("compiler:")]
    assert literal, "no literal paths found: the parsing is broken"
    for name in literal:
        assert (REPO / Path(*name.split("\\"))).is_file(), f"installer.iss names {name}: missing"
    # The build's files come from {#BuildDir}: the compile test checks those.
    assert any("{#BuildDir}" in name for name in named)


def test_shortcuts_use_the_icon_and_the_desktop_one_is_optional() -> None:
    found = sections(script_text())
    icons = [entry_params(line) for line in found["Icons"]]
    assert {icon["Name"].split("\\")[0] for icon in icons} == {"{autoprograms}", "{autodesktop}"}
    for icon in icons:
        assert icon["IconFilename"] == r"{app}\subtitle-studio.ico"
    desktop = next(icon for icon in icons if icon["Name"].startswith("{autodesktop}"))
    assert desktop["Tasks"] == "desktopicon"
    task = next(entry_params(t) for t in found["Tasks"] if entry_params(t)["Name"] == "desktopicon")
    assert "unchecked" in task["Flags"]


def test_open_with_lists_media_files_and_subtitle_files_open_with_the_app() -> None:
    registry = [entry_params(line) for line in sections(script_text())["Registry"]]
    assert all(entry["Root"] == "HKA" for entry in registry), "per-user or all-users: HKA only"
    supported = {
        entry["ValueName"]
        for entry in registry
        if entry["Subkey"].endswith(r"Applications\{#InstalledExe}\SupportedTypes")
    }
    open_with = {
        entry["Subkey"].split("\\")[2]
        for entry in registry
        if entry["Subkey"].endswith("OpenWithProgids")
        and entry["ValueName"] == "SubtitleStudio.Media"
    }
    assert {".mp4", ".mkv", ".mov", ".mp3", ".wav"} <= supported
    assert supported == open_with
    assert supported <= MEDIA_EXTENSIONS, supported - MEDIA_EXTENSIONS
    command = '"{app}\\{#InstalledExe}" "%1"'
    for progid in (
        "SubtitleStudio.Media",
        "SubtitleStudio.srt",
        "SubtitleStudio.vtt",
        "SubtitleStudio.ass",
    ):
        subkey = rf"Software\Classes\{progid}\shell\open\command"
        assert any(e["Subkey"] == subkey and e["ValueData"] == command for e in registry), progid
    for ext in (".srt", ".vtt", ".ass"):
        assert ext in SUBTITLE_EXTENSIONS
        default = [e for e in registry if e["Subkey"] == rf"Software\Classes\{ext}"]
        assert [e["ValueData"] for e in default] == [f"SubtitleStudio{ext}"], ext
        assert "uninsdeletevalue" in default[0]["Flags"]
    app = {
        e["Subkey"]: e for e in registry if e["Subkey"].startswith(r"Software\Classes\Applications")
    }
    assert (
        app[r"Software\Classes\Applications\{#InstalledExe}\shell\open\command"]["ValueData"]
        == command
    )


def test_the_installed_executable_is_always_named_subtitle_studio_exe() -> None:
    text = script_text()
    assert '#define InstalledExe "SubtitleStudio.exe"' in text
    files = [entry_params(line) for line in sections(text)["Files"]]
    main = files[0]
    assert main["Source"] == r"{#BuildDir}\{#AppExeName}"
    assert main["DestName"] == "{#InstalledExe}"
    assert files[1]["Excludes"] == r"\{#AppExeName}"


def test_uninstall_asks_before_deleting_the_users_data_folder() -> None:
    text = script_text()
    code = text.split("[Code]", 1)[1]
    assert "usPostUninstall" in code and "DelTree" in code
    # The default answer (and a silent uninstall's) keeps the data.
    assert "MB_DEFBUTTON2" in code and "IDNO) = IDYES" in code
    folder = re.search(r'#define UserDataFolder "([^"]+)"', text)
    assert folder and folder.group(1) == paths.APP_NAME
    assert r"{localappdata}\{#UserDataFolder}" in code


def test_on_windows_every_user_folder_is_inside_the_one_uninstall_asks_about() -> None:
    """platformdirs' data, config and log folders are all in %LOCALAPPDATA%\\SubtitleStudio."""
    import platformdirs.windows

    local = r"C:\Users\me\AppData\Local"
    folders = {"CSIDL_LOCAL_APPDATA": local, "CSIDL_APPDATA": r"C:\Users\me\AppData\Roaming"}
    with mock.patch.object(platformdirs.windows, "get_win_folder", folders.__getitem__):
        dirs = platformdirs.windows.Windows(appname=paths.APP_NAME, appauthor=False)
        chosen = [dirs.user_data_dir, dirs.user_config_dir, dirs.user_log_dir]
    root = local + "\\" + paths.APP_NAME
    for folder in chosen:
        normal = folder.replace("/", "\\")
        assert normal == root or normal.startswith(root + "\\"), folder


def test_custom_messages_exist_in_both_languages() -> None:
    text = script_text()
    languages = [entry_params(line)["Name"] for line in sections(text)["Languages"]]
    assert languages == ["en", "zh_CN"]
    custom = directives(sections(text)["CustomMessages"])
    names = {key.split(".", 1)[1] for key in custom}
    for name in names:
        for language in languages:
            assert custom.get(f"{language}.{name}"), f"[CustomMessages] {language}.{name} missing"
        assert re.search(r"[\u4e00-\u9fff]", custom[f"zh_CN.{name}"]), f"zh_CN.{name} untranslated"
    builtin = set(read_isl(default_isl())["CustomMessages"])
    for used in set(re.findall(r"\{cm:(\w+)", text)):
        assert used in names or used in builtin, f"{{cm:{used}}} is not defined"


def test_the_languages_include_our_simplified_chinese() -> None:
    languages = {
        entry_params(line)["Name"]: entry_params(line)["MessagesFile"]
        for line in sections(script_text())["Languages"]
    }
    assert languages["en"] == "compiler:Default.isl"
    assert languages["zh_CN"] == r"installer\ChineseSimplified.isl"
    options = read_isl(CHINESE_ISL)["LangOptions"]
    assert options["LanguageID"] == "$0804"
    assert options["LanguageName"] == "简体中文"


def test_the_chinese_messages_have_exactly_the_keys_of_default_isl() -> None:
    english = read_isl(default_isl())
    chinese = read_isl(CHINESE_ISL)
    for section in ("Messages", "CustomMessages"):
        missing = set(english[section]) - set(chinese[section])
        extra = set(chinese[section]) - set(english[section])
        assert not missing and not extra, (
            f"[{section}] missing {sorted(missing)}, extra {sorted(extra)}"
        )
    for key in ("LanguageName", "LanguageID", "LanguageCodePage"):
        assert chinese["LangOptions"].get(key), key


def test_the_chinese_messages_are_translated_and_keep_their_placeholders() -> None:
    english = read_isl(default_isl())
    chinese = read_isl(CHINESE_ISL)
    # Messages that are only placeholders and units (nothing to translate).
    language_neutral = {
        "ComponentSize1",
        "ComponentSize2",
        "UninstallDisplayNameMark",
        "UninstallDisplayNameMarks",
    }
    for section in ("Messages", "CustomMessages"):
        for key, source in english[section].items():
            target = chinese[section][key]
            if not source or key in language_neutral:
                assert target == source, f"{key}: {target!r}"
                continue
            assert re.search(r"[\u4e00-\u9fff]", target), f"[{section}] {key} is not translated"
            # Every %1, %n and [name]-style field of the English text stays.
            fields = re.findall(r"%\d|%n|\[\w+(?:/\w+)?\]", source)
            for field in set(fields):
                assert target.count(field) == source.count(field), f"{key}: {field} in {target!r}"
            if "&" in source:
                assert "&" in target, f"{key} lost its keyboard accelerator: {target!r}"
            # As Default.isl says: no full stop where Inno Setup adds one itself.
            if not source.endswith("."):
                assert not target.endswith("。"), f"{key} ends with a full stop"
