<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AlignDocument</name>
    <message>
        <source>Align &amp;timings</source>
        <translation>对齐时间(&amp;T)</translation>
    </message>
    <message>
        <source>Fit this subtitle file&apos;s times to the speech in its video or audio</source>
        <translation>让此字幕文件的时间贴合其视频或音频中的语音</translation>
    </message>
</context>
<context>
    <name>DefaultSettingsDialog</name>
    <message>
        <source>Default settings for new jobs</source>
        <translation>新任务的默认设置</translation>
    </message>
</context>
<context>
    <name>DocumentFiles</name>
    <message>
        <source>Your changes are kept automatically as you type (they survive a crash); File → Save writes the subtitle file.</source>
        <extracomment>English source; shown through ``autosave_note()``.</extracomment>
        <translation>你的修改会在输入时自动保留（即使程序崩溃也不会丢失）；“文件 → 保存”才会写入字幕文件。</translation>
    </message>
    <message>
        <source>UTF-8</source>
        <extracomment>Problems listed in the banner when a file opens; the rest are counted. The encodings &quot;Save subtitles with encoding…&quot; offers: (label, Python codec name).</extracomment>
        <translation>UTF-8</translation>
    </message>
    <message>
        <source>UTF-8 with BOM</source>
        <translation>UTF-8（带 BOM）</translation>
    </message>
    <message>
        <source>UTF-16 (Unicode, with BOM)</source>
        <translation>UTF-16（Unicode，带 BOM）</translation>
    </message>
    <message>
        <source>GBK (Simplified Chinese)</source>
        <translation>GBK（简体中文）</translation>
    </message>
    <message>
        <source>Big5 (Traditional Chinese)</source>
        <translation>Big5（繁体中文）</translation>
    </message>
    <message>
        <source>Windows-1252 (Western European)</source>
        <translation>Windows-1252（西欧语言）</translation>
    </message>
    <message>
        <source>{name}: {format}, {encoding} with BOM.</source>
        <translation>{name}：{format}，{encoding}（带 BOM）。</translation>
    </message>
    <message>
        <source>{name}: {format}, {encoding}.</source>
        <translation>{name}：{format}，{encoding}。</translation>
    </message>
    <message>
        <source> Media: {name}.</source>
        <translation> 媒体：{name}。</translation>
    </message>
    <message>
        <source>line {line}: {message}</source>
        <translation>第 {line} 行：{message}</translation>
    </message>
    <message>
        <source>{count} block(s) could not be read and were left out:</source>
        <translation>有 {count} 个字幕块无法读取，已略过：</translation>
    </message>
    <message>
        <source>… and {count} more</source>
        <translation>……另有 {count} 个</translation>
    </message>
    <message>
        <source>Open s&amp;ubtitles…</source>
        <translation>打开字幕(&amp;U)…</translation>
    </message>
    <message>
        <source>Open an SRT, WebVTT or ASS file to edit it</source>
        <translation>打开 SRT、WebVTT 或 ASS 文件进行编辑</translation>
    </message>
    <message>
        <source>&amp;Save subtitles</source>
        <translation>保存字幕(&amp;S)</translation>
    </message>
    <message>
        <source>Save subtitles &amp;as…</source>
        <translation>字幕另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save to another file, as SRT, WebVTT or ASS</source>
        <translation>保存到另一个文件，格式为 SRT、WebVTT 或 ASS</translation>
    </message>
    <message>
        <source>Save subtitles with &amp;encoding…</source>
        <translation>以指定编码保存字幕(&amp;E)…</translation>
    </message>
    <message>
        <source>Save to a file in the text encoding you choose (UTF-8, UTF-16, GBK, …)</source>
        <translation>以你选择的文本编码保存到文件（UTF-8、UTF-16、GBK 等）</translation>
    </message>
    <message>
        <source>Open subtitles</source>
        <translation>打开字幕</translation>
    </message>
    <message>
        <source>Subtitles ({patterns});;All files (*)</source>
        <translation>字幕 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <source>You have edited {name} here before.</source>
        <translation>你之前在这里编辑过 {name}。</translation>
    </message>
    <message>
        <source>Starting again reads the file anew and discards the edits made here.</source>
        <translation>重新开始会重新读取文件，并丢弃在此处所做的修改。</translation>
    </message>
    <message>
        <source>Continue where you left off</source>
        <translation>从上次离开的地方继续</translation>
    </message>
    <message>
        <source>Start again from the file</source>
        <translation>从文件重新开始</translation>
    </message>
    <message>
        <source>Save subtitles</source>
        <translation>保存字幕</translation>
    </message>
    <message>
        <source>Replace the original file {name} with your edited subtitles?
(Asked once for this file.)</source>
        <translation>要用你编辑过的字幕替换原文件 {name} 吗？
（此文件只询问一次。）</translation>
    </message>
    <message>
        <source>Save subtitles as</source>
        <translation>字幕另存为</translation>
    </message>
    <message>
        <source>{encoding} (as opened)</source>
        <translation>{encoding}（打开时的编码）</translation>
    </message>
    <message>
        <source>Save subtitles with encoding</source>
        <translation>以指定编码保存字幕</translation>
    </message>
    <message>
        <source>Text encoding:</source>
        <translation>文本编码：</translation>
    </message>
    <message>
        <source>Could not open the subtitles</source>
        <translation>无法打开字幕</translation>
    </message>
    <message>
        <source>Use Export for a transcription job&apos;s subtitles.</source>
        <translation>转录任务的字幕请使用“导出”。</translation>
    </message>
    <message>
        <source>The subtitles were not saved</source>
        <translation>字幕未保存</translation>
    </message>
    <message>
        <source>Saved {count} subtitles to {path}</source>
        <translation>已将 {count} 条字幕保存到 {path}</translation>
    </message>
</context>
<context>
    <name>EditActions</name>
    <message>
        <source>Insert subtitle &amp;before</source>
        <translation>在前面插入字幕(&amp;B)</translation>
    </message>
    <message>
        <source>Add a row above</source>
        <translation>在上方添加一行字幕</translation>
    </message>
    <message>
        <source>&amp;Insert subtitle after</source>
        <translation>在后面插入字幕(&amp;I)</translation>
    </message>
    <message>
        <source>Add a row below</source>
        <translation>在下方添加一行字幕</translation>
    </message>
    <message>
        <source>&amp;Delete subtitles</source>
        <translation>删除字幕(&amp;D)</translation>
    </message>
    <message>
        <source>Delete the selected rows</source>
        <translation>删除选中的字幕行</translation>
    </message>
    <message>
        <source>S&amp;plit at cursor</source>
        <translation>在光标处拆分(&amp;P)</translation>
    </message>
    <message>
        <source>Split the row at the text cursor (or at the space nearest its middle)</source>
        <translation>在文本光标处拆分该字幕行（无光标时在最靠近中间的空格处拆分）</translation>
    </message>
    <message>
        <source>&amp;Merge subtitles</source>
        <translation>合并字幕(&amp;M)</translation>
    </message>
    <message>
        <source>Merge the selected neighbouring rows</source>
        <translation>合并选中的相邻字幕行</translation>
    </message>
    <message>
        <source>S&amp;hift times…</source>
        <translation>平移时间(&amp;H)…</translation>
    </message>
    <message>
        <source>Move all or the selected rows</source>
        <translation>移动全部或选中的字幕行</translation>
    </message>
    <message>
        <source>&amp;Find and replace…</source>
        <translation>查找和替换(&amp;F)…</translation>
    </message>
    <message>
        <source>Find and replace text</source>
        <translation>查找和替换文本</translation>
    </message>
    <message>
        <source>&amp;Go to time…</source>
        <translation>转到时间(&amp;G)…</translation>
    </message>
    <message>
        <source>Select the row showing at a time</source>
        <translation>选中某一时刻显示的字幕行</translation>
    </message>
    <message>
        <source>&amp;Next problem</source>
        <translation>下一个问题(&amp;N)</translation>
    </message>
    <message>
        <source>Select the next row with a warning</source>
        <translation>选中下一条有警告的字幕行</translation>
    </message>
    <message>
        <source>Shift times</source>
        <translation>平移时间</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Only the selected subtitles</source>
        <translation>仅选中的字幕</translation>
    </message>
    <message>
        <source>Move by (negative: earlier)</source>
        <translation>移动量（负数表示提前）</translation>
    </message>
    <message>
        <source>Go to time</source>
        <translation>转到时间</translation>
    </message>
    <message>
        <source>Time (like 1:02.500 or 62.5):</source>
        <translation>时间（如 1:02.500 或 62.5）：</translation>
    </message>
    <message>
        <source>No subtitle shows at or after {time}.</source>
        <translation>在 {time} 及之后没有显示的字幕。</translation>
    </message>
    <message>
        <source>No subtitle has a problem.</source>
        <translation>没有字幕存在问题。</translation>
    </message>
    <message>
        <source>Subtitle {number}: {problems}</source>
        <translation>字幕行 {number}：{problems}</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>&apos;{job_id}&apos; is not a job id (32 lowercase hexadecimal characters).</source>
        <translation>“{job_id}”不是任务 ID（应为 32 个小写十六进制字符）。</translation>
    </message>
    <message>
        <source>&apos;{model_id}&apos; is not a known model. Transcription models: {whisper}; alignment models are named align-&lt;language&gt;, e.g. align-fr.</source>
        <translation>“{model_id}”不是已知的模型。转录模型：{whisper}；对齐模型的名称为 align-&lt;语言&gt;，例如 align-fr。</translation>
    </message>
    <message>
        <source>&apos;{setting}&apos; is not a known model. Known models: {whisper_models}; or pass a folder holding a faster-whisper model.</source>
        <translation>“{setting}”不是已知的模型。已知模型：{whisper_models}；也可以指定一个包含 faster-whisper 模型的文件夹。</translation>
    </message>
    <message>
        <source>A blank line is missing before this subtitle.</source>
        <translation>这条字幕前缺少空行。</translation>
    </message>
    <message>
        <source>A blank line splits the subtitle above; the text after it was kept with that subtitle.</source>
        <translation>一个空行把上面的字幕隔开了；空行后的文字已并入那条字幕。</translation>
    </message>
    <message>
        <source>A file or folder was removed while the job was using it: {where}.</source>
        <translation>任务正在使用的文件或文件夹被删除了：{where}。</translation>
    </message>
    <message>
        <source>A subtitle cannot start before the beginning of the video.</source>
        <translation>字幕不能早于视频开头。</translation>
    </message>
    <message>
        <source>A subtitle must end after it starts.</source>
        <translation>字幕的结束时间必须晚于开始时间。</translation>
    </message>
    <message>
        <source>A subtitle needs some text; to remove it, delete the row instead.</source>
        <translation>字幕不能没有文字；如要去掉它，请删除这一字幕行。</translation>
    </message>
    <message>
        <source>A subtitle time cannot be negative ({value} s).</source>
        <translation>字幕时间不能为负数（{value} 秒）。</translation>
    </message>
    <message>
        <source>A subtitle time must be a finite number of seconds, not {value}.</source>
        <translation>字幕时间必须是有限的秒数，而不是 {value}。</translation>
    </message>
    <message>
        <source>A time cannot be negative: you typed {text}; type it like 1:02.500 or 00:01:02,500.</source>
        <translation>时间不能为负数：你输入的是 {text}；请按 1:02.500 或 00:01:02,500 的格式输入。</translation>
    </message>
    <message>
        <source>A time over {hours} hours is not possible: you typed {text}; type it like 1:02.500 or 00:01:02,500.</source>
        <translation>时间不能超过 {hours} 小时：你输入的是 {text}；请按 1:02.500 或 00:01:02,500 的格式输入。</translation>
    </message>
    <message>
        <source>Add subtitle at {time}</source>
        <translation>在 {time} 添加字幕行</translation>
    </message>
    <message>
        <source>Alignment with {model_name} failed on every line of the chunk at {offset} s: {reason}</source>
        <translation>使用 {model_name} 对齐时，位于 {offset} 秒处的片段中每一行都失败了：{reason}</translation>
    </message>
    <message>
        <source>Cannot align the line {row}: it has no valid id, start and end ({reason}).</source>
        <translation>无法对齐字幕行 {row}：它没有有效的 ID、开始和结束时间（{reason}）。</translation>
    </message>
    <message>
        <source>Cannot load the alignment model &quot;{model}&quot; for language &quot;{language}&quot;: it has not been downloaded ({file_name} is not in {folder}). Download it with the model manager, or import a model folder.</source>
        <translation>无法加载语言“{language}”的对齐模型“{model}”：它尚未下载（{folder} 中没有 {file_name}）。请在模型管理器中下载，或导入一个模型文件夹。</translation>
    </message>
    <message>
        <source>Cannot load the alignment model &quot;{model}&quot; for language &quot;{language}&quot;: it is not in the local model cache. Download it with the model manager, or import it from a folder.</source>
        <translation>无法加载语言“{language}”的对齐模型“{model}”：本地模型缓存中没有它。请在模型管理器中下载，或从文件夹导入。</translation>
    </message>
    <message>
        <source>Cannot load the alignment model &quot;{model}&quot; for language &quot;{language}&quot;: the folder does not hold a usable wav2vec2 CTC model ({error}). Import the model again, or choose another alignment model.</source>
        <translation>无法加载语言“{language}”的对齐模型“{model}”：该文件夹中没有可用的 wav2vec2 CTC 模型（{error}）。请重新导入模型，或选择其他对齐模型。</translation>
    </message>
    <message>
        <source>Cannot load the alignment model &quot;{model}&quot; for language &quot;{language}&quot;: the folder {path} does not exist. Choose the folder again or import the model.</source>
        <translation>无法加载语言“{language}”的对齐模型“{model}”：文件夹 {path} 不存在。请重新选择文件夹或导入模型。</translation>
    </message>
    <message>
        <source>Cannot load the alignment model &quot;{model}&quot; for language &quot;{language}&quot;: the folder {path} is incomplete (no {missing}). Import the model again.</source>
        <translation>无法加载语言“{language}”的对齐模型“{model}”：文件夹 {path} 不完整（缺少 {missing}）。请重新导入模型。</translation>
    </message>
    <message>
        <source>Cannot load the alignment model &quot;{model}&quot; for language &quot;{language}&quot;: whisperX is not installed properly ({error}). Reinstall Subtitle Studio.</source>
        <translation>无法加载语言“{language}”的对齐模型“{model}”：whisperX 未正确安装（{error}）。请重新安装 Subtitle Studio。</translation>
    </message>
    <message>
        <source>Cannot load the alignment model &quot;{model}&quot; for language &quot;{language}&quot;: {path} is a file, not a model folder. Choose the folder that holds config.json.</source>
        <translation>无法加载语言“{language}”的对齐模型“{model}”：{path} 是一个文件，而不是模型文件夹。请选择包含 config.json 的文件夹。</translation>
    </message>
    <message>
        <source>Cannot open {path}: {reason}.</source>
        <translation>无法打开 {path}：{reason}。</translation>
    </message>
    <message>
        <source>Cannot prepare the sentence splitter for the alignment model &quot;{model}&quot; for language &quot;{language}&quot;: {reason}.</source>
        <translation>无法为语言“{language}”的对齐模型“{model}”准备分句器：{reason}。</translation>
    </message>
    <message>
        <source>Cannot prepare the sentence-splitter data folder {data_dir}: {reason}.</source>
        <translation>无法准备分句器数据文件夹 {data_dir}：{reason}。</translation>
    </message>
    <message>
        <source>Cannot read {text} as a time: type it like 1:02.500 or 00:01:02,500.</source>
        <translation>无法把 {text} 识别为时间：请按 1:02.500 或 00:01:02,500 的格式输入。</translation>
    </message>
    <message>
        <source>Cannot read {value} as a time: type it like 1:02.500.</source>
        <translation>无法把 {value} 识别为时间：请按 1:02.500 的格式输入。</translation>
    </message>
    <message>
        <source>Cannot write the {lang} sentence-splitter data into {parent}: {error}</source>
        <translation>无法将 {lang} 分句器数据写入 {parent}：{error}</translation>
    </message>
    <message>
        <source>Could not download {what} from {host} through the proxy {proxy}: {detail}. Check the network, the mirror and proxy in Settings, then download again to resume.</source>
        <translation>无法通过代理 {proxy} 从 {host} 下载 {what}：{detail}。请检查网络以及设置中的镜像和代理，然后重新下载以继续。</translation>
    </message>
    <message>
        <source>Could not download {what} from {host}: {detail}. Check the network, the mirror and proxy in Settings, then download again to resume.</source>
        <translation>无法从 {host} 下载 {what}：{detail}。请检查网络以及设置中的镜像和代理，然后重新下载以继续。</translation>
    </message>
    <message>
        <source>Could not read {where}: {reason}.</source>
        <translation>无法读取 {where}：{reason}。</translation>
    </message>
    <message>
        <source>Could not write {where}: {reason}.</source>
        <translation>无法写入 {where}：{reason}。</translation>
    </message>
    <message>
        <source>Delete subtitle {number}</source>
        <translation>删除字幕行 {number}</translation>
    </message>
    <message>
        <source>Delete subtitles {first}–{last}</source>
        <translation>删除字幕行 {first}–{last}</translation>
    </message>
    <message>
        <source>Delete {count} subtitles</source>
        <translation>删除 {count} 条字幕行</translation>
    </message>
    <message>
        <source>Downloading {model_id} failed: {error}.</source>
        <translation>下载 {model_id} 失败：{error}。</translation>
    </message>
    <message>
        <source>Downloads are switched off because HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) is set. Unset it, or import a model folder instead (subtitle-studio models import FOLDER).</source>
        <translation>下载已关闭，因为设置了 HF_HUB_OFFLINE（或 TRANSFORMERS_OFFLINE）。请取消该设置，或改为导入模型文件夹（subtitle-studio models import FOLDER）。</translation>
    </message>
    <message>
        <source>Error code: {code}</source>
        <translation>错误代码：{code}</translation>
    </message>
    <message>
        <source>File: {source}</source>
        <translation>文件：{source}</translation>
    </message>
    <message>
        <source>Frame counts are not supported: you typed {text}; type it like 1:02.500 or 00:01:02,500.</source>
        <translation>不支持帧数：你输入的是 {text}；请按 1:02.500 或 00:01:02,500 的格式输入。</translation>
    </message>
    <message>
        <source>Frame rate and reading speed must be positive, the gap not negative.</source>
        <translation>帧率和阅读速度必须为正数，间隔不能为负数。</translation>
    </message>
    <message>
        <source>From the log:</source>
        <translation>日志摘录：</translation>
    </message>
    <message>
        <source>Invalid settings: {error}</source>
        <translation>设置无效：{error}</translation>
    </message>
    <message>
        <source>Invalid settings: {problems}</source>
        <translation>设置无效：{problems}</translation>
    </message>
    <message>
        <source>Job folder: {folder}</source>
        <translation>任务文件夹：{folder}</translation>
    </message>
    <message>
        <source>Job {job_id} is already running in another window or process.</source>
        <translation>任务 {job_id} 已在另一个窗口或进程中运行。</translation>
    </message>
    <message>
        <source>Job {job_id} is running; pause or cancel it before deleting it.</source>
        <translation>任务 {job_id} 正在运行；请先暂停或取消，再删除它。</translation>
    </message>
    <message>
        <source>Job: {job_id}</source>
        <translation>任务：{job_id}</translation>
    </message>
    <message>
        <source>Line ends must be &apos;\n&apos; or &apos;\r\n&apos;.</source>
        <translation>换行符必须是 &apos;\n&apos; 或 &apos;\r\n&apos;。</translation>
    </message>
    <message>
        <source>Line {line} is not part of any subtitle; skipped.</source>
        <translation>第 {line} 行不属于任何字幕；已跳过。</translation>
    </message>
    <message>
        <source>Lines {first}–{last} are not part of any subtitle; skipped.</source>
        <translation>第 {first}–{last} 行不属于任何字幕；已跳过。</translation>
    </message>
    <message>
        <source>Log file: {log_file}</source>
        <translation>日志文件：{log_file}</translation>
    </message>
    <message>
        <source>Merge subtitle {number}</source>
        <translation>合并字幕行 {number}</translation>
    </message>
    <message>
        <source>Merge subtitles {first}–{last}</source>
        <translation>合并字幕行 {first}–{last}</translation>
    </message>
    <message>
        <source>Merge {count} subtitles</source>
        <translation>合并 {count} 条字幕行</translation>
    </message>
    <message>
        <source>Minutes must be below 60 when hours are given: you typed {text}; type it like 1:02.500 or 00:01:02,500.</source>
        <translation>给出小时数时，分钟数必须小于 60：你输入的是 {text}；请按 1:02.500 或 00:01:02,500 的格式输入。</translation>
    </message>
    <message>
        <source>No subtitle could be read from {name} (line {line}: {problem}).</source>
        <translation>无法从 {name} 读取任何字幕（第 {line} 行：{problem}）。</translation>
    </message>
    <message>
        <source>No subtitle could be read from {name}.</source>
        <translation>无法从 {name} 读取任何字幕。</translation>
    </message>
    <message>
        <source>No transcription model is installed, not even the bundled tiny.en; reinstall Subtitle Studio.</source>
        <translation>没有安装任何转录模型，连内置的 tiny.en 也没有；请重新安装 Subtitle Studio。</translation>
    </message>
    <message>
        <source>No translation sources in {folder}.</source>
        <translation>{folder} 中没有翻译源文件。</translation>
    </message>
    <message>
        <source>Only a subtitle file with its video or audio beside it can be aligned.</source>
        <translation>只有旁边放有对应视频或音频的字幕文件才能对齐。</translation>
    </message>
    <message>
        <source>Only subtitles next to each other can be merged.</source>
        <translation>只能合并相邻的字幕。</translation>
    </message>
    <message>
        <source>Permission denied: could not write {where}.</source>
        <translation>权限不足：无法写入 {where}。</translation>
    </message>
    <message>
        <source>Put the cursor inside the text, where the subtitle should be split.</source>
        <translation>请把光标放在文字中要拆分字幕的位置。</translation>
    </message>
    <message>
        <source>Qt&apos;s lrelease was not found in PySide6 ({folder}); reinstall PySide6.</source>
        <translation>在 PySide6（{folder}）中找不到 Qt 的 lrelease；请重新安装 PySide6。</translation>
    </message>
    <message>
        <source>Replace in subtitle {number}</source>
        <translation>在字幕行 {number} 中替换</translation>
    </message>
    <message>
        <source>Replace {count} × {query} in {rows} subtitles</source>
        <translation>在 {rows} 条字幕行中替换 {count} 处 {query}</translation>
    </message>
    <message>
        <source>Seconds must be below 60: you typed {text}; type it like 1:02.500 or 00:01:02,500.</source>
        <translation>秒数必须小于 60：你输入的是 {text}；请按 1:02.500 或 00:01:02,500 的格式输入。</translation>
    </message>
    <message>
        <source>Select one subtitle to split.</source>
        <translation>请选择一条要拆分的字幕。</translation>
    </message>
    <message>
        <source>Select the subtitles to delete.</source>
        <translation>请选择要删除的字幕。</translation>
    </message>
    <message>
        <source>Select two or more subtitles to merge.</source>
        <translation>请选择两条或更多要合并的字幕。</translation>
    </message>
    <message>
        <source>Set the end of subtitle {number} to {time}</source>
        <translation>将字幕行 {number} 的结束时间设为 {time}</translation>
    </message>
    <message>
        <source>Set the start of subtitle {number} to {time}</source>
        <translation>将字幕行 {number} 的开始时间设为 {time}</translation>
    </message>
    <message>
        <source>Settings must be names with values, not {kind}.</source>
        <translation>设置必须是名称与值的对应，而不是 {kind}。</translation>
    </message>
    <message>
        <source>Shift all subtitles by {offset} s</source>
        <translation>将所有字幕行平移 {offset} 秒</translation>
    </message>
    <message>
        <source>Shift subtitle {number} by {offset} s</source>
        <translation>将字幕行 {number} 平移 {offset} 秒</translation>
    </message>
    <message>
        <source>Shift subtitles {first}–{last} by {offset} s</source>
        <translation>将字幕行 {first}–{last} 平移 {offset} 秒</translation>
    </message>
    <message>
        <source>Shift {count} subtitles by {offset} s</source>
        <translation>将 {count} 条字幕行平移 {offset} 秒</translation>
    </message>
    <message>
        <source>Shifting by {offset} s would move subtitle {number} (at {start}) before the start of the video; move them back by at most {limit} s.</source>
        <translation>平移 {offset} 秒会把第 {number} 条字幕（位于 {start}）移到视频开头之前；向前最多只能平移 {limit} 秒。</translation>
    </message>
    <message>
        <source>Split subtitle {number}</source>
        <translation>拆分字幕行 {number}</translation>
    </message>
    <message>
        <source>Stopped in phase: not started at {percent} %</source>
        <translation>停止于阶段：尚未开始，进度 {percent}%</translation>
    </message>
    <message>
        <source>Stopped in phase: {phase} at {percent} %</source>
        <translation>停止于阶段：{phase}，进度 {percent}%</translation>
    </message>
    <message>
        <source>Subtitle rules must be finite numbers.</source>
        <translation>字幕规则必须是有限的数值。</translation>
    </message>
    <message>
        <source>Subtitle {number} ends ({end}) before it starts ({start}); fix its times before exporting.</source>
        <translation>第 {number} 条字幕的结束时间（{end}）早于开始时间（{start}）；请先修正时间再导出。</translation>
    </message>
    <message>
        <source>Subtitle {number} ends ({end}) before it starts ({start}); fix its times before saving.</source>
        <translation>第 {number} 条字幕的结束时间（{end}）早于开始时间（{start}）；请先修正时间再保存。</translation>
    </message>
    <message>
        <source>Subtitle {number} ends before it starts; set its end first, then shift.</source>
        <translation>第 {number} 条字幕的结束时间早于开始时间；请先设置结束时间，再平移。</translation>
    </message>
    <message>
        <source>Subtitle {number} has an impossible time ({start}, {end}).</source>
        <translation>第 {number} 条字幕的时间不可能成立（{start}，{end}）。</translation>
    </message>
    <message>
        <source>Subtitle {number} is only a number; skipped.</source>
        <translation>字幕 {number} 只有一个序号；已跳过。</translation>
    </message>
    <message>
        <source>Subtitle {number} is too short to split.</source>
        <translation>第 {number} 条字幕太短，无法拆分。</translation>
    </message>
    <message>
        <source>Subtitle {number} would end ({time}) before it starts ({start}); set its start first.</source>
        <translation>第 {number} 条字幕的结束时间（{time}）会早于开始时间（{start}）；请先设置开始时间。</translation>
    </message>
    <message>
        <source>Subtitle {number} would start ({time}) after it ends ({end}); set its end first.</source>
        <translation>第 {number} 条字幕的开始时间（{time}）会晚于结束时间（{end}）；请先设置结束时间。</translation>
    </message>
    <message>
        <source>Subtitle {number}: {error}</source>
        <translation>第 {number} 条字幕：{error}</translation>
    </message>
    <message>
        <source>Subtitle {number}: {line} is not a timing line (expected 00:00:01,000 --&gt; 00:00:02,500); that subtitle was skipped.</source>
        <translation>字幕 {number}：{line} 不是时间行（应为 00:00:01,000 --&gt; 00:00:02,500）；这条字幕已跳过。</translation>
    </message>
    <message>
        <source>Subtitles need at least one line of at least one character.</source>
        <translation>字幕至少需要一行，每行至少一个字符。</translation>
    </message>
    <message>
        <source>That is not a time: you typed {text}; type it like 1:02.500 or 00:01:02,500.</source>
        <translation>这不是时间：你输入的是 {text}；请按 1:02.500 或 00:01:02,500 的格式输入。</translation>
    </message>
    <message>
        <source>The alignment model &apos;{setting}&apos; is not on this computer. Pass a folder holding a wav2vec2 model, or use --align-model none to align with word timestamps.</source>
        <translation>这台电脑上没有对齐模型“{setting}”。请指定一个包含 wav2vec2 模型的文件夹，或使用 --align-model none 以词级时间戳对齐。</translation>
    </message>
    <message>
        <source>The checkpoint {where} is corrupt ({error}); the job cannot resume from it.</source>
        <translation>检查点 {where} 已损坏（{error}）；任务无法从它继续。</translation>
    </message>
    <message>
        <source>The checkpoint {where} is corrupt ({reason}); the job cannot resume from it.</source>
        <translation>检查点 {where} 已损坏（{reason}）；任务无法从它继续。</translation>
    </message>
    <message>
        <source>The checkpoint {where} was written by a newer Subtitle Studio (format {version}); update the application to resume this job.</source>
        <translation>检查点 {where} 由更新版本的 Subtitle Studio 写入（格式 {version}）；请更新应用程序以继续此任务。</translation>
    </message>
    <message>
        <source>The disk is full: could not write {where}. Free some space, then resume the job.</source>
        <translation>磁盘已满：无法写入 {where}。请释放一些空间，然后继续任务。</translation>
    </message>
    <message>
        <source>The disk is read-only: could not write {where}. Make it writable (or choose another folder), then resume the job.</source>
        <translation>磁盘为只读：无法写入 {where}。请将其设为可写（或选择其他文件夹），然后继续任务。</translation>
    </message>
    <message>
        <source>The encoding {codec} cannot store {char} (U+{code_point}) in subtitle {number}; save the file as UTF-8 instead.</source>
        <translation>编码 {codec} 无法保存第 {number} 条字幕中的 {char}（U+{code_point}）；请改为以 UTF-8 保存文件。</translation>
    </message>
    <message>
        <source>The encoding {codec} cannot store {char} (U+{code_point}); save the file as UTF-8 instead.</source>
        <translation>编码 {codec} 无法保存 {char}（U+{code_point}）；请改为以 UTF-8 保存文件。</translation>
    </message>
    <message>
        <source>The file does not start with WEBVTT.</source>
        <translation>文件开头不是 WEBVTT。</translation>
    </message>
    <message>
        <source>The file is not valid {codec} text (byte {byte} at offset {position}); choose another encoding.</source>
        <translation>该文件不是有效的 {codec} 文本（偏移 {position} 处的字节 {byte}）；请选择其他编码。</translation>
    </message>
    <message>
        <source>The file starts like {name} text but is damaged at byte {position}.</source>
        <translation>该文件开头像是 {name} 文本，但在第 {position} 字节处损坏。</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist; choose another place to save.</source>
        <translation>文件夹 {folder} 不存在；请选择其他保存位置。</translation>
    </message>
    <message>
        <source>The folder {folder} is writable by other accounts, so NLTK refuses to read sentence-splitter data from it; choose a private folder.</source>
        <translation>文件夹 {folder} 可被其他账户写入，因此 NLTK 拒绝从中读取分句器数据；请选择一个私有文件夹。</translation>
    </message>
    <message>
        <source>The job&apos;s audio {path} cannot be read: {reason}.</source>
        <translation>无法读取任务的音频 {path}：{reason}。</translation>
    </message>
    <message>
        <source>The job&apos;s audio {path} is damaged; it will be decoded again.</source>
        <translation>任务的音频 {path} 已损坏；将重新解码。</translation>
    </message>
    <message>
        <source>The log has no lines about this job.</source>
        <translation>日志中没有关于此任务的记录。</translation>
    </message>
    <message>
        <source>The model &apos;{model_name}&apos; only knows English but the job&apos;s language is &apos;{language}&apos;. Choose a multilingual model (one without &apos;.en&apos;).</source>
        <translation>模型“{model_name}”只支持英语，但任务的语言是“{language}”。请选择多语言模型（名称中不带“.en”的模型）。</translation>
    </message>
    <message>
        <source>The model &apos;{setting}&apos; is not on this computer (ready: {present}). Get it with: subtitle-studio models download {setting} — or import a folder with subtitle-studio models import FOLDER --name {setting}, or pass --model PATH.</source>
        <translation>这台电脑上没有模型“{setting}”（已就绪：{present}）。获取方式：subtitle-studio models download {setting}——或用 subtitle-studio models import FOLDER --name {setting} 导入文件夹，或指定 --model PATH。</translation>
    </message>
    <message>
        <source>The model &apos;{setting}&apos; is only partly downloaded (ready: {present}). Get it with: subtitle-studio models download {setting} — or import a folder with subtitle-studio models import FOLDER --name {setting}, or pass --model PATH.</source>
        <translation>模型“{setting}”只下载了一部分（已就绪：{present}）。获取方式：subtitle-studio models download {setting}——或用 subtitle-studio models import FOLDER --name {setting} 导入文件夹，或指定 --model PATH。</translation>
    </message>
    <message>
        <source>The reading speed for CJK text must be a positive number.</source>
        <translation>中日韩文字的阅读速度必须为正数。</translation>
    </message>
    <message>
        <source>The replacement {replacement} is not valid: {error}.</source>
        <translation>替换内容 {replacement} 无效：{error}。</translation>
    </message>
    <message>
        <source>The sentence-splitter data written to {folder} cannot be read back by NLTK; delete that folder and try again.</source>
        <translation>写入 {folder} 的分句器数据无法被 NLTK 读回；请删除该文件夹后重试。</translation>
    </message>
    <message>
        <source>The server at {endpoint} did not give the size of {file_name} in {repo}; it may not be a Hugging Face mirror.</source>
        <translation>{endpoint} 的服务器没有给出 {repo} 中 {file_name} 的大小；它可能不是 Hugging Face 镜像。</translation>
    </message>
    <message>
        <source>The server did not give the size of {url}.</source>
        <translation>服务器没有给出 {url} 的大小。</translation>
    </message>
    <message>
        <source>The shortest subtitle duration must be below the longest, and the longest at least {seconds} s.</source>
        <translation>最短字幕时长必须小于最长时长，且最长时长至少为 {seconds} 秒。</translation>
    </message>
    <message>
        <source>The subtitle file has no timed text to align.</source>
        <translation>该字幕文件中没有可对齐的带时间文字。</translation>
    </message>
    <message>
        <source>The text has changed since it was found; search again.</source>
        <translation>找到之后文字已被更改；请重新查找。</translation>
    </message>
    <message>
        <source>The time is empty: type it like 1:02.500 or 00:01:02,500.</source>
        <translation>时间为空：请按 1:02.500 或 00:01:02,500 的格式输入。</translation>
    </message>
    <message>
        <source>The time {time} is not valid (expected 0:00:01.00); this event was skipped.</source>
        <translation>时间 {time} 无效（应为 0:00:01.00）；这一事件已跳过。</translation>
    </message>
    <message>
        <source>The timing line {line} is not valid (expected {example}); that subtitle was skipped.</source>
        <translation>时间行 {line} 无效（应为 {example}）；这条字幕已跳过。</translation>
    </message>
    <message>
        <source>The transcription model &apos;{model_name}&apos; could not be loaded on {device} ({error}). Choose another model, device or compute type.</source>
        <translation>无法在 {device} 上加载转录模型“{model_name}”（{error}）。请选择其他模型、设备或计算类型。</translation>
    </message>
    <message>
        <source>The translation source {path} is missing.</source>
        <translation>缺少翻译源文件 {path}。</translation>
    </message>
    <message>
        <source>The translation {name} is missing from this build.</source>
        <translation>此版本中缺少翻译文件 {name}。</translation>
    </message>
    <message>
        <source>The word {text} has an impossible time.</source>
        <translation>单词 {text} 的时间不可能成立。</translation>
    </message>
    <message>
        <source>The {format} script could not be read: {error}.</source>
        <translation>无法读取 {format} 脚本：{error}。</translation>
    </message>
    <message>
        <source>There is no job {job_id}.</source>
        <translation>没有任务 {job_id}。</translation>
    </message>
    <message>
        <source>There is no subtitle {row_id}.</source>
        <translation>没有字幕 {row_id}。</translation>
    </message>
    <message>
        <source>There is no time before subtitle {number} for a new one; add it after instead.</source>
        <translation>第 {number} 条字幕之前没有时间容纳新字幕；请改为在其后添加。</translation>
    </message>
    <message>
        <source>This dialog was opened without the model download settings.</source>
        <translation>打开此对话框时没有提供模型下载设置。</translation>
    </message>
    <message>
        <source>This event has too few fields; it was skipped.</source>
        <translation>这一事件的字段太少；已跳过。</translation>
    </message>
    <message>
        <source>This job was not opened from a subtitle file.</source>
        <translation>此任务不是从字幕文件打开的。</translation>
    </message>
    <message>
        <source>This subtitle ends before it starts; it was skipped.</source>
        <translation>这条字幕的结束时间早于开始时间；已跳过。</translation>
    </message>
    <message>
        <source>This subtitle has no text; it was skipped.</source>
        <translation>这条字幕没有文字；已跳过。</translation>
    </message>
    <message>
        <source>Transcription failed on chunk {segment_index}: {error}</source>
        <translation>转录第 {segment_index} 个片段时失败：{error}</translation>
    </message>
    <message>
        <source>Type the text to find.</source>
        <translation>请输入要查找的文字。</translation>
    </message>
    <message>
        <source>Unexpected error: {error}. The log has the details.</source>
        <translation>意外错误：{error}。详细信息见日志。</translation>
    </message>
    <message>
        <source>Unknown setting(s): {unknown}</source>
        <translation>未知设置：{unknown}</translation>
    </message>
    <message>
        <source>Unknown subtitle format {fmt}; choose one of: {formats}.</source>
        <translation>未知的字幕格式 {fmt}；请选择以下之一：{formats}。</translation>
    </message>
    <message>
        <source>VAD must be true or false</source>
        <translation>语音活动检测（VAD）只能是“是”或“否”</translation>
    </message>
    <message>
        <source>Your edits in {where} are damaged ({error}).</source>
        <translation>{where} 中的编辑内容已损坏（{error}）。</translation>
    </message>
    <message>
        <source>Your edits in {where} could not be read ({error}).</source>
        <translation>无法读取 {where} 中的编辑内容（{error}）。</translation>
    </message>
    <message>
        <source>accurate</source>
        <translation>准确</translation>
    </message>
    <message>
        <source>accurate English</source>
        <translation>英语准确</translation>
    </message>
    <message>
        <source>alignment model must be &apos;auto&apos;, &apos;none&apos;, a model name or a folder</source>
        <translation>对齐模型必须是 auto、none、模型名称或文件夹</translation>
    </message>
    <message>
        <source>an unfinished download; Repair starts it again</source>
        <translation>下载未完成；“修复”会重新开始下载</translation>
    </message>
    <message>
        <source>beam size must be a whole number from 1 to 20</source>
        <translation>束宽必须是 1 到 20 之间的整数</translation>
    </message>
    <message>
        <source>bundled with the application</source>
        <translation>随应用程序附带</translation>
    </message>
    <message>
        <source>bundled with the application (the downloaded copy is {state}: {detail})</source>
        <translation>随应用程序附带（下载的副本{state}：{detail}）</translation>
    </message>
    <message>
        <source>chunk length must be between 5 and 120 seconds</source>
        <translation>片段长度必须在 5 到 120 秒之间</translation>
    </message>
    <message>
        <source>compute type must be one of {choices}</source>
        <translation>计算类型必须是以下之一：{choices}</translation>
    </message>
    <message>
        <source>damaged (checksum differs): {damaged}. Repair downloads them again.</source>
        <translation>已损坏（校验和不符）：{damaged}。“修复”会重新下载这些文件。</translation>
    </message>
    <message>
        <source>device must be one of {choices}</source>
        <translation>设备必须是以下之一：{choices}</translation>
    </message>
    <message>
        <source>download stopped: {present} of {total} downloaded; downloading again resumes</source>
        <translation>下载已中断：已下载 {present}，共 {total}；再次下载会从断点继续</translation>
    </message>
    <message>
        <source>downloaded, {size}</source>
        <translation>已下载，{size}</translation>
    </message>
    <message>
        <source>downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <source>downloading in another window</source>
        <translation>正在另一个窗口中下载</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>fast</source>
        <translation>速度快</translation>
    </message>
    <message>
        <source>fast English</source>
        <translation>英语，速度快</translation>
    </message>
    <message>
        <source>fast; English is its strength</source>
        <translation>速度快；擅长英语</translation>
    </message>
    <message>
        <source>fastest, least accurate</source>
        <translation>速度最快，准确度最低</translation>
    </message>
    <message>
        <source>files are present but were never checked; Repair downloads what is missing or damaged</source>
        <translation>文件已存在但从未校验；“修复”会下载缺失或损坏的部分</translation>
    </message>
    <message>
        <source>good English</source>
        <translation>英语效果好</translation>
    </message>
    <message>
        <source>good balance of speed and accuracy</source>
        <translation>速度与准确度兼顾</translation>
    </message>
    <message>
        <source>imported, {size}</source>
        <translation>已导入，{size}</translation>
    </message>
    <message>
        <source>in another program&apos;s download cache</source>
        <translation>位于其他程序的下载缓存中</translation>
    </message>
    <message>
        <source>incomplete</source>
        <translation>不完整</translation>
    </message>
    <message>
        <source>language must be a language code such as &apos;en&apos;, or &apos;auto&apos;</source>
        <translation>语言必须是语言代码（如 en）或 auto</translation>
    </message>
    <message>
        <source>lrelease could not compile {name} (exit {code}): {output}</source>
        <translation>lrelease 无法编译 {name}（退出码 {code}）：{output}</translation>
    </message>
    <message>
        <source>minimum pause must be between 50 and 3000 ms</source>
        <translation>最短停顿必须在 50 到 3000 毫秒之间</translation>
    </message>
    <message>
        <source>missing or short: {missing}. Repair downloads them again.</source>
        <translation>缺失或不完整：{missing}。“修复”会重新下载这些文件。</translation>
    </message>
    <message>
        <source>missing or short: {missing}; damaged (checksum differs): {damaged}. Repair downloads them again.</source>
        <translation>缺失或不完整：{missing}；已损坏（校验和不符）：{damaged}。“修复”会重新下载这些文件。</translation>
    </message>
    <message>
        <source>model must be a model name or folder</source>
        <translation>模型必须是模型名称或文件夹</translation>
    </message>
    <message>
        <source>most accurate, slow on CPU</source>
        <translation>最准确，在 CPU 上较慢</translation>
    </message>
    <message>
        <source>near large-v3 accuracy, several times faster</source>
        <translation>准确度接近 large-v3，速度快数倍</translation>
    </message>
    <message>
        <source>not UTF-8 text at byte {offset}</source>
        <translation>第 {offset} 字节处不是 UTF-8 文本</translation>
    </message>
    <message>
        <source>not downloaded</source>
        <translation>未下载</translation>
    </message>
    <message>
        <source>not valid JSON at line {line}, column {column}</source>
        <translation>第 {line} 行第 {column} 列不是有效的 JSON</translation>
    </message>
    <message>
        <source>output format must be one of {choices}</source>
        <translation>输出格式必须是以下之一：{choices}</translation>
    </message>
    <message>
        <source>task must be one of {choices}</source>
        <translation>任务类型必须是以下之一：{choices}</translation>
    </message>
    <message>
        <source>threads must be 0 (automatic) or a positive number</source>
        <translation>线程数必须是 0（自动）或正整数</translation>
    </message>
    <message>
        <source>unknown setting &apos;{name}&apos;</source>
        <translation>未知设置“{name}”</translation>
    </message>
    <message>
        <source>unknown size</source>
        <translation>大小未知</translation>
    </message>
    <message>
        <source>very accurate, slow on CPU</source>
        <translation>非常准确，在 CPU 上较慢</translation>
    </message>
    <message>
        <source>whisperX default</source>
        <translation>whisperX 默认</translation>
    </message>
    <message>
        <source>whisperX default (torchaudio)</source>
        <translation>whisperX 默认（torchaudio）</translation>
    </message>
    <message>
        <source>word timestamps must be true or false</source>
        <translation>逐词时间戳只能是“是”或“否”</translation>
    </message>
    <message>
        <source>{encoding} is not a text encoding Subtitle Studio knows.</source>
        <translation>{encoding} 不是 Subtitle Studio 认识的文本编码。</translation>
    </message>
    <message>
        <source>{error} ({present} of {total} downloaded; downloading again resumes)</source>
        <translation>{error}（已下载 {present}，共 {total}；再次下载会从断点继续）</translation>
    </message>
    <message>
        <source>{folder} is not a faster-whisper model folder (it needs model.bin and config.json).</source>
        <translation>{folder} 不是 faster-whisper 模型文件夹（需要 model.bin 和 config.json）。</translation>
    </message>
    <message>
        <source>{folder} is not an alignment model folder (no config.json).</source>
        <translation>{folder} 不是对齐模型文件夹（没有 config.json）。</translation>
    </message>
    <message>
        <source>{format} is not a subtitle format Subtitle Studio opens.</source>
        <translation>{format} 不是 Subtitle Studio 能打开的字幕格式。</translation>
    </message>
    <message>
        <source>{format} is not a subtitle format Subtitle Studio saves.</source>
        <translation>{format} 不是 Subtitle Studio 能保存的字幕格式。</translation>
    </message>
    <message>
        <source>{host} answered HTTP {status} for {what}. Try again later.</source>
        <translation>{host} 对 {what} 返回了 HTTP {status}。请稍后重试。</translation>
    </message>
    <message>
        <source>{host} refused {what} (HTTP {status}). The mirror or proxy may block it.</source>
        <translation>{host} 拒绝了 {what}（HTTP {status}）。镜像或代理可能阻止了它。</translation>
    </message>
    <message>
        <source>{model_bin} is not a faster-whisper (CTranslate2) Whisper model. Convert it with ct2-transformers-converter, or download the model instead.</source>
        <translation>{model_bin} 不是 faster-whisper（CTranslate2）Whisper 模型。请用 ct2-transformers-converter 转换，或改为下载该模型。</translation>
    </message>
    <message>
        <source>{model_bin} is {size}, but {model_id}&apos;s model.bin is about {expected}: this folder holds another model. Choose the matching model name.</source>
        <translation>{model_bin} 的大小为 {size}，但 {model_id} 的 model.bin 约为 {expected}：此文件夹中是另一个模型。请选择匹配的模型名称。</translation>
    </message>
    <message>
        <source>{model_id} is already being downloaded by another Subtitle Studio window or command. Wait for it to finish.</source>
        <translation>另一个 Subtitle Studio 窗口或命令正在下载 {model_id}。请等待下载完成。</translation>
    </message>
    <message>
        <source>{model_id} is being downloaded; cancel the download before you delete it.</source>
        <translation>{model_id} 正在下载；请先取消下载，再删除它。</translation>
    </message>
    <message>
        <source>{model_id} is being downloaded; cancel the download before you import over it.</source>
        <translation>{model_id} 正在下载；请先取消下载，再导入覆盖它。</translation>
    </message>
    <message>
        <source>{model_id} was downloaded but is not usable: {detail}</source>
        <translation>{model_id} 已下载，但无法使用：{detail}</translation>
    </message>
    <message>
        <source>{name} ({present} of {size})</source>
        <translation>{name}（{present} / {size}）</translation>
    </message>
    <message>
        <source>{name} appears to be truncated: only {decoded} s of its {duration} s could be decoded. Download or copy it again.</source>
        <translation>{name} 似乎不完整：{duration} 秒中只有 {decoded} 秒能够解码。请重新下载或复制。</translation>
    </message>
    <message>
        <source>{name} cannot be read: permission denied.</source>
        <translation>无法读取 {name}：权限不足。</translation>
    </message>
    <message>
        <source>{name} cannot be read: {reason}.</source>
        <translation>无法读取 {name}：{reason}。</translation>
    </message>
    <message>
        <source>{name} could not be decoded: {error}.</source>
        <translation>无法解码 {name}：{error}。</translation>
    </message>
    <message>
        <source>{name} has an audio track but no audio could be decoded from it.</source>
        <translation>{name} 有音轨，但无法从中解码出任何音频。</translation>
    </message>
    <message>
        <source>{name} has no audio track, so there is nothing to transcribe.</source>
        <translation>{name} 没有音轨，因此没有可转录的内容。</translation>
    </message>
    <message>
        <source>{name} is empty (0 bytes); it holds no audio to transcribe.</source>
        <translation>{name} 是空文件（0 字节）；其中没有可转录的音频。</translation>
    </message>
    <message>
        <source>{name} is not a media file Subtitle Studio can read.</source>
        <translation>{name} 不是 Subtitle Studio 能读取的媒体文件。</translation>
    </message>
    <message>
        <source>{name} is not an SRT, WebVTT or ASS subtitle file.</source>
        <translation>{name} 不是 SRT、WebVTT 或 ASS 字幕文件。</translation>
    </message>
    <message>
        <source>{name} is too damaged to decode ({bad} unreadable pieces).</source>
        <translation>{name} 损坏严重，无法解码（{bad} 个片段无法读取）。</translation>
    </message>
    <message>
        <source>{name} is too large ({mib} MiB) to be subtitles.</source>
        <translation>{name} 太大（{mib} MiB），不可能是字幕文件。</translation>
    </message>
    <message>
        <source>{name} looks like a media file but is damaged or incomplete (was the download or copy cut off?).</source>
        <translation>{name} 看起来是媒体文件，但已损坏或不完整（下载或复制是否中断了？）。</translation>
    </message>
    <message>
        <source>{name} of {model_id} arrived damaged (its checksum differs from the server&apos;s); a proxy or mirror may have altered it. Download again.</source>
        <translation>{model_id} 的 {name} 下载后已损坏（校验和与服务器的不同）；可能被代理或镜像改动过。请重新下载。</translation>
    </message>
    <message>
        <source>{name} of {model_id} arrived with {size} bytes instead of {expected}. Download again to resume.</source>
        <translation>{model_id} 的 {name} 下载到 {size} 字节，而不是 {expected} 字节。请重新下载以继续。</translation>
    </message>
    <message>
        <source>{offset} is not a number of seconds.</source>
        <translation>{offset} 不是秒数。</translation>
    </message>
    <message>
        <source>{path} is a folder, not a media file.</source>
        <translation>{path} 是文件夹，不是媒体文件。</translation>
    </message>
    <message>
        <source>{path} was not found.</source>
        <translation>找不到 {path}。</translation>
    </message>
    <message>
        <source>{percent}% of {total}, {speed}/s</source>
        <translation>{percent}%，共 {total}，{speed}/s</translation>
    </message>
    <message>
        <source>{problems}.</source>
        <translation>{problems}。</translation>
    </message>
    <message>
        <source>{repo} on {endpoint} has none of the files a model needs.</source>
        <translation>{endpoint} 上的 {repo} 中没有模型所需的任何文件。</translation>
    </message>
    <message>
        <source>{seconds} is not a time in seconds.</source>
        <translation>{seconds} 不是以秒为单位的时间。</translation>
    </message>
    <message>
        <source>{source} is broken: {empty} is empty (0 bytes).</source>
        <translation>{source} 已损坏：{empty} 为空（0 字节）。</translation>
    </message>
    <message>
        <source>{source} is broken: {name} is not valid JSON ({error}).</source>
        <translation>{source} 已损坏：{name} 不是有效的 JSON（{error}）。</translation>
    </message>
    <message>
        <source>{source} is not a complete alignment model for &apos;{language}&apos;: it has no {missing}.</source>
        <translation>{source} 不是完整的“{language}”对齐模型：缺少 {missing}。</translation>
    </message>
    <message>
        <source>{source} is not a complete faster-whisper model ({model_id}): it has no {missing}.</source>
        <translation>{source} 不是完整的 faster-whisper 模型（{model_id}）：缺少 {missing}。</translation>
    </message>
    <message>
        <source>{source} is not a folder. Choose the folder that holds the model.</source>
        <translation>{source} 不是文件夹。请选择包含模型的文件夹。</translation>
    </message>
    <message>
        <source>{text} is not a valid regular expression: {error} at position {position}.</source>
        <translation>{text} 不是有效的正则表达式：第 {position} 个字符处 {error}。</translation>
    </message>
    <message>
        <source>{text} is not a valid regular expression: {error}.</source>
        <translation>{text} 不是有效的正则表达式：{error}。</translation>
    </message>
    <message>
        <source>{value} is not a time.</source>
        <translation>{value} 不是时间。</translation>
    </message>
    <message>
        <source>{what} was not found on {host}. Check the mirror address.</source>
        <translation>在 {host} 上找不到 {what}。请检查镜像地址。</translation>
    </message>
    <message>
        <source>{where} has no version; the job file is corrupt.</source>
        <translation>{where} 没有版本号；任务文件已损坏。</translation>
    </message>
    <message>
        <source>{where} holds invalid settings: {error}</source>
        <translation>{where} 中的设置无效：{error}</translation>
    </message>
    <message>
        <source>{where} is corrupt ({error}); the job cannot be opened.</source>
        <translation>{where} 已损坏（{error}）；无法打开该任务。</translation>
    </message>
    <message>
        <source>{where} is corrupt ({error}); the job will be aligned again.</source>
        <translation>{where} 已损坏（{error}）；将重新对齐该任务。</translation>
    </message>
    <message>
        <source>{where} is not a job file; the job cannot be opened.</source>
        <translation>{where} 不是任务文件；无法打开该任务。</translation>
    </message>
    <message>
        <source>{where} names another job ({other_id}); it is corrupt.</source>
        <translation>{where} 指向另一个任务（{other_id}）；文件已损坏。</translation>
    </message>
    <message>
        <source>{where} was written by a newer Subtitle Studio (job format {version}); update the application to open this job.</source>
        <translation>{where} 由更新版本的 Subtitle Studio 写入（任务格式 {version}）；请更新应用程序以打开此任务。</translation>
    </message>
    <message>
        <source>{where} was written by a newer Subtitle Studio; update the application.</source>
        <translation>{where} 由更新版本的 Subtitle Studio 写入；请更新应用程序。</translation>
    </message>
    <message>
        <source>{which} is neither the start nor the end.</source>
        <translation>{which} 既不是开始也不是结束。</translation>
    </message>
</context>
<context>
    <name>FindReplaceDialog</name>
    <message>
        <source>Find and replace</source>
        <translation>查找和替换</translation>
    </message>
    <message>
        <source>&amp;Whole words</source>
        <translation>全字匹配(&amp;W)</translation>
    </message>
    <message>
        <source>Regular e&amp;xpression</source>
        <translation>正则表达式(&amp;X)</translation>
    </message>
    <message>
        <source>Match &amp;case</source>
        <translation>区分大小写(&amp;C)</translation>
    </message>
    <message>
        <source>Find &amp;next</source>
        <translation>查找下一个(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Replace</source>
        <translation>替换(&amp;R)</translation>
    </message>
    <message>
        <source>Replace &amp;all</source>
        <translation>全部替换(&amp;A)</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>查找：</translation>
    </message>
    <message>
        <source>Replace with:</source>
        <translation>替换为：</translation>
    </message>
    <message>
        <source>Open a job or a subtitle file first.</source>
        <translation>请先打开一个任务或字幕文件。</translation>
    </message>
    <message>
        <source>Not found.</source>
        <translation>未找到。</translation>
    </message>
    <message>
        <source>Found in subtitle {number}.</source>
        <translation>在字幕行 {number} 中找到。</translation>
    </message>
    <message>
        <source>Nothing to replace.</source>
        <translation>没有可替换的内容。</translation>
    </message>
</context>
<context>
    <name>FirstRun</name>
    <message>
        <source>Welcome to Subtitle Studio</source>
        <extracomment>Multilingual models the note recommends, as the Models dialog names them: a balance of speed and accuracy, a more accurate one, and a fast near-best one.</extracomment>
        <translation>欢迎使用 Subtitle Studio</translation>
    </message>
    <message>
        <source>Subtitle Studio comes with the {bundled} model. It works without an internet connection, but only for English: it turns speech in other languages into English-sounding guesses.

For other languages, download a multilingual model in Tools → Models…: {balanced} is a good balance of speed and accuracy, {accurate} is more accurate but slower, and {fast_best} comes close to the best accuracy. Then choose it in File → Default settings…, or leave the model on auto to use the best one you have.</source>
        <translation>Subtitle Studio 自带 {bundled} 模型。它无需联网即可使用，但只能转录英语：其他语言的语音会被转成听起来像英语的猜测。

要转录其他语言，请在“工具 → 模型…”中下载多语言模型：{balanced} 在速度和准确度之间较为均衡，{accurate} 更准确但更慢，{fast_best} 的准确度接近最佳。然后在“文件 → 默认设置…”中选择它，或者将模型保留为 auto，自动使用你已有的最佳模型。</translation>
    </message>
</context>
<context>
    <name>JobList</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>The job failed without a message; see the log file.</source>
        <translation>任务失败，但没有给出消息；请查看日志文件。</translation>
    </message>
    <message>
        <source>{source}

Failed: {error}</source>
        <extracomment>Jobs whose ``job.json`` could not be read: ``(job_id, reason)``, for the window.</extracomment>
        <translation>{source}

失败：{error}</translation>
    </message>
    <message>
        <source>The program running this job stopped; resume it to continue.</source>
        <translation>运行此任务的程序已停止；继续任务即可接着完成。</translation>
    </message>
</context>
<context>
    <name>JobQueue</name>
    <message>
        <source>Unexpected error: {error}</source>
        <extracomment>Every pipeline thread this process started, so tests can prove none is left running.</extracomment>
        <translation>意外错误：{error}</translation>
    </message>
</context>
<context>
    <name>JobText</name>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>canceled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>extract</source>
        <translation>提取音频</translation>
    </message>
    <message>
        <source>split</source>
        <translation>切分</translation>
    </message>
    <message>
        <source>transcribe</source>
        <translation>转录</translation>
    </message>
    <message>
        <source>align</source>
        <translation>对齐</translation>
    </message>
    <message>
        <source>srt</source>
        <translation>写入字幕</translation>
    </message>
    <message>
        <source>less than a minute left</source>
        <translation>剩余不到 1 分钟</translation>
    </message>
    <message>
        <source>about {minutes} min left</source>
        <translation>剩余约 {minutes} 分钟</translation>
    </message>
    <message>
        <source>about {hours} h {minutes} min left</source>
        <translation>剩余约 {hours} 小时 {minutes} 分钟</translation>
    </message>
</context>
<context>
    <name>ListenPanel</name>
    <message>
        <source>No job shown</source>
        <extracomment>``engines.extract``: (media, destination, on_progress, check) -&gt; (StoredAudio, info). Called with a row id after an edit of the panel&apos;s, like the table model&apos;s editApplied. The panel decodes an editing document&apos;s media here, then renames it to ``audio.wav`` (a pipeline run extracting at the same time writes its own ``audio.wav.part``). The view shown around the first cue when a job&apos;s peaks arrive (seconds). A refused action, for the window&apos;s banner. The peaks of the shown job arrived (or ``None``: no audio), in the GUI thread.</extracomment>
        <translation>未显示任务</translation>
    </message>
    <message>
        <source>&amp;Play line</source>
        <translation>播放本行(&amp;P)</translation>
    </message>
    <message>
        <source>Set &amp;start from playhead</source>
        <translation>以播放头设为开始时间(&amp;S)</translation>
    </message>
    <message>
        <source>Set &amp;end from playhead</source>
        <translation>以播放头设为结束时间(&amp;E)</translation>
    </message>
    <message>
        <source>No audio attached</source>
        <translation>未关联音频</translation>
    </message>
    <message>
        <source>Loading the waveform…</source>
        <translation>正在加载波形…</translation>
    </message>
    <message>
        <source>No waveform: {error}</source>
        <translation>无波形：{error}</translation>
    </message>
    <message>
        <source>No waveform yet</source>
        <translation>尚无波形</translation>
    </message>
    <message>
        <source>Select a subtitle to play it.</source>
        <translation>请选择一条字幕来播放。</translation>
    </message>
    <message>
        <source>This job has no audio attached.</source>
        <translation>此任务没有关联音频。</translation>
    </message>
    <message>
        <source>Select a subtitle first.</source>
        <translation>请先选择一条字幕。</translation>
    </message>
    <message>
        <source>Play the line or click in the waveform to place the playhead.</source>
        <translation>请播放该行，或在波形中单击以放置播放头。</translation>
    </message>
</context>
<context>
    <name>MainToolBar</name>
    <message>
        <source>Toolbar</source>
        <translation>工具栏</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Drop video or audio files here to transcribe them.</source>
        <extracomment>A refused edit stays visible this long above the table.</extracomment>
        <translation>将视频或音频文件拖放到此处即可转录。</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>&amp;Open video or audio…</source>
        <translation>打开视频或音频(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Export subtitles…</source>
        <translation>导出字幕(&amp;E)…</translation>
    </message>
    <message>
        <source>Default &amp;settings…</source>
        <translation>默认设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Start / Resume</source>
        <translation>开始/继续(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Open &amp;folder</source>
        <translation>打开文件夹(&amp;F)</translation>
    </message>
    <message>
        <source>De&amp;lete job…</source>
        <translation>删除任务(&amp;L)…</translation>
    </message>
    <message>
        <source>Error &amp;details…</source>
        <translation>错误详情(&amp;D)…</translation>
    </message>
    <message>
        <source>Local &amp;HTTP endpoint</source>
        <translation>本地 HTTP 接口(&amp;H)</translation>
    </message>
    <message>
        <source>Stream this window&apos;s jobs as Server-Sent Events on 127.0.0.1 (off by default)</source>
        <translation>在 127.0.0.1 上以服务器发送事件（SSE）的形式推送本窗口的任务（默认关闭）</translation>
    </message>
    <message>
        <source>&amp;Models…</source>
        <translation>模型(&amp;M)…</translation>
    </message>
    <message>
        <source>Download, repair, verify, import and delete models</source>
        <translation>下载、修复、校验、导入和删除模型</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Job</source>
        <translation>任务(&amp;J)</translation>
    </message>
    <message>
        <source>&amp;Audio</source>
        <translation>音频(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt; — {status}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; — {status}</translation>
    </message>
    <message>
        <source>HTTP endpoint</source>
        <translation>HTTP 接口</translation>
    </message>
    <message>
        <source>Endpoint: {url}</source>
        <translation>接口：{url}</translation>
    </message>
    <message>
        <source>Follow a job at {url}/stream/&lt;job id&gt;</source>
        <translation>在 {url}/stream/&lt;任务 ID&gt; 跟踪任务</translation>
    </message>
    <message>
        <source>{name} failed</source>
        <translation>{name} 失败</translation>
    </message>
    <message>
        <source>Model download settings were not saved</source>
        <translation>模型下载设置未能保存</translation>
    </message>
    <message>
        <source>{phase} {percent}%</source>
        <translation>{phase} {percent}%</translation>
    </message>
    <message>
        <source>{progress} — {time_left}</source>
        <translation>{progress} — {time_left}</translation>
    </message>
    <message>
        <source>{error}
(Job → Error details… says more.)</source>
        <translation>{error}
（“任务 → 错误详情…”中有更多信息。）</translation>
    </message>
    <message>
        <source>A job could not be opened and is not listed: {reason}
(and {count} more; the log file names them)</source>
        <translation>有一个任务无法打开，因此未列出：{reason}
（另有 {count} 个；日志文件中列出了它们）</translation>
    </message>
    <message>
        <source>A job could not be opened and is not listed: {reason}</source>
        <translation>有一个任务无法打开，因此未列出：{reason}</translation>
    </message>
    <message>
        <source>Pausing the running job…</source>
        <translation>正在暂停运行中的任务…</translation>
    </message>
</context>
<context>
    <name>ModelTable</name>
    <message>
        <source>Model</source>
        <extracomment>A row whose model just finished downloading is re-read this often until the manager has let go of the download (it publishes the outcome a moment before). The translation context of the table&apos;s words (``translated`` looks them up). English sources: shown through ``translated()``.</extracomment>
        <translation>模型</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Languages</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Transcription</source>
        <translation>转录</translation>
    </message>
    <message>
        <source>Alignment</source>
        <translation>对齐</translation>
    </message>
    <message>
        <source>in Subtitle Studio&apos;s models folder</source>
        <translation>位于 Subtitle Studio 的模型文件夹中</translation>
    </message>
    <message>
        <source>bundled with the application</source>
        <translation>随应用程序附带</translation>
    </message>
    <message>
        <source>in another program&apos;s download cache</source>
        <translation>位于其他程序的下载缓存中</translation>
    </message>
    <message>
        <source>ready</source>
        <extracomment>The states the core and this table name (``ModelStatus.state``, ``_Row.state``), shown translated; the roles and the code keep the English names.</extracomment>
        <translation>就绪</translation>
    </message>
    <message>
        <source>incomplete</source>
        <translation>不完整</translation>
    </message>
    <message>
        <source>downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>checking</source>
        <translation>检查中</translation>
    </message>
    <message>
        <source>verifying</source>
        <translation>校验中</translation>
    </message>
    <message>
        <source>importing</source>
        <translation>导入中</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>{percent} · {done} of {total} · {speed}/s</source>
        <translation>{percent} · {done} / {total} · {speed}/秒</translation>
    </message>
    <message>
        <source>{percent} · {done} of {total}</source>
        <translation>{percent} · {done} / {total}</translation>
    </message>
    <message>
        <source>Checking what is on this computer…</source>
        <translation>正在检查本机已有的内容…</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <source>&amp;Download</source>
        <translation>下载(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Cancel download</source>
        <translation>取消下载(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Repair</source>
        <translation>修复(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>校验(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Import folder…</source>
        <translation>导入文件夹(&amp;I)…</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>删除(&amp;L)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Show alignment models</source>
        <translation>显示对齐模型</translation>
    </message>
    <message>
        <source>Alignment models sharpen subtitle timing, one per language. Jobs use the one for their language when it is here, and word timestamps otherwise.</source>
        <translation>对齐模型能让字幕时间更精确，每种语言一个。任务会使用其语言对应的对齐模型（如已下载），否则使用词级时间戳。</translation>
    </message>
    <message>
        <source>Download what is missing or damaged; intact files stay.</source>
        <translation>下载缺失或损坏的部分；完好的文件保持不变。</translation>
    </message>
    <message>
        <source>Check every file against its recorded checksum.</source>
        <translation>按记录的校验和检查每个文件。</translation>
    </message>
    <message>
        <source>Remove the model&apos;s files from Subtitle Studio&apos;s models folder.</source>
        <translation>从 Subtitle Studio 的模型文件夹中删除该模型的文件。</translation>
    </message>
    <message>
        <source>This model is not in Subtitle Studio&apos;s models folder ({where}); it cannot be deleted here.</source>
        <translation>此模型不在 Subtitle Studio 的模型文件夹中（{where}）；无法在此删除。</translation>
    </message>
    <message>
        <source>Downloading {model_id}…</source>
        <translation>正在下载 {model_id}…</translation>
    </message>
    <message>
        <source>Canceling the download of {model_id}…</source>
        <translation>正在取消 {model_id} 的下载…</translation>
    </message>
    <message>
        <source>Verifying {model_id}: reading every file…</source>
        <translation>正在校验 {model_id}：读取每个文件…</translation>
    </message>
    <message>
        <source>Could not verify {model_id}</source>
        <translation>无法校验 {model_id}</translation>
    </message>
    <message>
        <source>{model_id} is ready: {detail}.</source>
        <translation>{model_id} 已就绪：{detail}。</translation>
    </message>
    <message>
        <source>{model_id} is {state}: {detail}</source>
        <translation>{model_id} 的状态为“{state}”：{detail}</translation>
    </message>
    <message>
        <source>Choose the folder that holds the model</source>
        <translation>选择存放该模型的文件夹</translation>
    </message>
    <message>
        <source>Import model</source>
        <translation>导入模型</translation>
    </message>
    <message>
        <source>Which model does {folder} hold?</source>
        <translation>{folder} 中存放的是哪个模型？</translation>
    </message>
    <message>
        <source>Importing {model_id} from {folder}: copying and checking the files…</source>
        <translation>正在从 {folder} 导入 {model_id}：复制并检查文件…</translation>
    </message>
    <message>
        <source>Nothing was imported from {folder}</source>
        <translation>未从 {folder} 导入任何内容</translation>
    </message>
    <message>
        <source>Imported {model_id} from {folder}.</source>
        <translation>已从 {folder} 导入 {model_id}。</translation>
    </message>
    <message>
        <source>Delete model</source>
        <translation>删除模型</translation>
    </message>
    <message>
        <source>Delete {model_id} from this computer? Jobs that use it need it downloaded again.</source>
        <translation>要从本机删除 {model_id} 吗？使用它的任务需要重新下载该模型。</translation>
    </message>
    <message>
        <source>Deleted {model_id}.</source>
        <translation>已删除 {model_id}。</translation>
    </message>
    <message>
        <source>Could not read the models folder</source>
        <translation>无法读取模型文件夹</translation>
    </message>
    <message>
        <source>{what}: {message}</source>
        <translation>{what}：{message}</translation>
    </message>
    <message>
        <source>{what}: unexpected error ({error}). The log file has the details.</source>
        <translation>{what}：意外错误（{error}）。详细信息见日志文件。</translation>
    </message>
    <message>
        <source>The download failed.</source>
        <translation>下载失败。</translation>
    </message>
    <message>
        <source>{model_id} is ready</source>
        <translation>{model_id} 已就绪</translation>
    </message>
    <message>
        <source>Download of {model_id} canceled; {kept} kept. Download again to resume.</source>
        <translation>已取消 {model_id} 的下载；保留了 {kept}。再次下载即可继续。</translation>
    </message>
</context>
<context>
    <name>ModelsService</name>
    <message>
        <source>The job was not started; start it again once the download is done.</source>
        <translation>任务未开始；下载完成后请重新开始该任务。</translation>
    </message>
    <message>
        <source>Resume the job once the download is done.</source>
        <translation>下载完成后请继续该任务。</translation>
    </message>
    <message>
        <source>The model {model_id} is only partly downloaded ({size}). Download it now?</source>
        <translation>模型 {model_id} 只下载了一部分（{size}）。现在下载吗？</translation>
    </message>
    <message>
        <source>The model {model_id} is not downloaded ({size}). Download it now?</source>
        <translation>模型 {model_id} 尚未下载（{size}）。现在下载吗？</translation>
    </message>
    <message>
        <source>Model not downloaded</source>
        <translation>模型未下载</translation>
    </message>
</context>
<context>
    <name>NetworkSection</name>
    <message>
        <source>https://huggingface.co (or $HF_ENDPOINT)</source>
        <translation>https://huggingface.co（或 $HF_ENDPOINT）</translation>
    </message>
    <message>
        <source>System</source>
        <extracomment>proxy_mode value -&gt; (button text, what it does), in English; shown translated.</extracomment>
        <translation>系统</translation>
    </message>
    <message>
        <source>Use the operating system&apos;s proxy settings (HTTPS_PROXY on Linux).</source>
        <translation>使用操作系统的代理设置（在 Linux 上为 HTTPS_PROXY）。</translation>
    </message>
    <message>
        <source>None</source>
        <translation>不使用</translation>
    </message>
    <message>
        <source>Connect directly, ignoring any proxy the system names.</source>
        <translation>直接连接，忽略系统指定的任何代理。</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>Send downloads through the proxy address below.</source>
        <translation>通过下面的代理地址下载。</translation>
    </message>
    <message>
        <source>The mirror address must start with http:// or https://.</source>
        <extracomment>``NetworkPreference.problems`` (the core&apos;s English) -&gt; the sentence the dialog shows.</extracomment>
        <translation>镜像地址必须以 http:// 或 https:// 开头。</translation>
    </message>
    <message>
        <source>The proxy mode must be one of system, none, manual.</source>
        <translation>代理模式必须是 system、none、manual 之一。</translation>
    </message>
    <message>
        <source>A manual proxy needs an address like http://proxy.example:3128.</source>
        <translation>手动代理需要一个类似 http://proxy.example:3128 的地址。</translation>
    </message>
    <message>
        <source>Model downloads</source>
        <translation>模型下载</translation>
    </message>
    <message>
        <source>A Hugging Face mirror to download models from. Empty: $HF_ENDPOINT if set, else huggingface.co.</source>
        <translation>用于下载模型的 Hugging Face 镜像。留空时：若设置了 $HF_ENDPOINT 则使用它，否则使用 huggingface.co。</translation>
    </message>
    <message>
        <source>Used for both http and https downloads.</source>
        <translation>同时用于 http 和 https 下载。</translation>
    </message>
    <message>
        <source>Mirror address</source>
        <translation>镜像地址</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>Proxy address</source>
        <translation>代理地址</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <extracomment>Each language named in itself, so a user who cannot read the current one finds theirs.</extracomment>
        <translation>首选项</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>The language of the menus, dialogs and messages.</source>
        <translation>菜单、对话框和消息使用的语言。</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>System follows the light or dark setting of your desktop, also when it changes.</source>
        <translation>“跟随系统”会采用桌面的浅色或深色设置，设置更改时也会随之切换。</translation>
    </message>
    <message>
        <source>A new language takes effect the next time Subtitle Studio starts.</source>
        <translation>新的语言将在下次启动 Subtitle Studio 时生效。</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>外观(&amp;A)</translation>
    </message>
    <message>
        <source>Preferences were not saved</source>
        <translation>首选项未保存</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <source>Language and appearance</source>
        <translation>语言和外观</translation>
    </message>
</context>
<context>
    <name>Prompts</name>
    <message>
        <source>Unfinished job</source>
        <translation>未完成的任务</translation>
    </message>
    <message>
        <source>{name} already has an unfinished job.

Resume it where it stopped? Choose No to start a new job from the beginning.</source>
        <translation>{name} 已有一个未完成的任务。

要从停止处继续吗？选择“否”将从头开始一个新任务。</translation>
    </message>
    <message>
        <source>Delete job</source>
        <translation>删除任务</translation>
    </message>
    <message>
        <source>Delete the job for {name}, with its transcript and your corrections?
Exported subtitle files are kept.</source>
        <translation>要删除 {name} 的任务及其转录文本和您的修改吗？
已导出的字幕文件会保留。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Media files ({patterns});;All files (*)</source>
        <translation>媒体文件 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open video or audio</source>
        <translation>打开视频或音频</translation>
    </message>
    <message>
        <source>Export subtitles</source>
        <translation>导出字幕</translation>
    </message>
    <message>
        <source>SubRip (*.srt);;WebVTT (*.vtt)</source>
        <translation>SubRip (*.srt);;WebVTT (*.vtt)</translation>
    </message>
</context>
<context>
    <name>ResumeDialog</name>
    <message>
        <source>Resume {name}</source>
        <translation>继续 {name}</translation>
    </message>
    <message>
        <source>{count} chunk(s) already transcribed; language detected: {language}; alignment finished.</source>
        <translation>已转录 {count} 个片段；检测到的语言：{language}；对齐已完成。</translation>
    </message>
    <message>
        <source>{count} chunk(s) already transcribed; language detected: {language}.</source>
        <translation>已转录 {count} 个片段；检测到的语言：{language}。</translation>
    </message>
    <message>
        <source>{count} chunk(s) already transcribed; alignment finished.</source>
        <translation>已转录 {count} 个片段；对齐已完成。</translation>
    </message>
    <message>
        <source>{count} chunk(s) already transcribed.</source>
        <translation>已转录 {count} 个片段。</translation>
    </message>
    <message>
        <source>Also redo the finished chunks with the new model</source>
        <translation>同时用新模型重新转录已完成的片段</translation>
    </message>
    <message>
        <source>Your own edits to those chunks are kept.</source>
        <translation>你对这些片段所做的编辑会保留。</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>{setting} stays {value}: {reason}</source>
        <translation>{setting} 保持为 {value}：{reason}</translation>
    </message>
</context>
<context>
    <name>ResumeRules</name>
    <message>
        <source>the saved chunks were transcribed with this choice; mixing would break alignment</source>
        <extracomment>Word for word as in ``core/resume_rules.py``.</extracomment>
        <translation>已保存的片段是按此选项转录的；混用会破坏对齐</translation>
    </message>
    <message>
        <source>mixing transcription and translation would give a transcript in two languages</source>
        <translation>混用转录和翻译会得到两种语言混杂的文稿</translation>
    </message>
    <message>
        <source>the chunk boundaries were made with this choice and are already saved</source>
        <translation>片段边界是按此选项划分的，并且已经保存</translation>
    </message>
    <message>
        <source>the chunk boundaries are already saved</source>
        <translation>片段边界已经保存</translation>
    </message>
    <message>
        <source>the language was detected on the first chunk and the whole job stays in it</source>
        <translation>语言已在第一个片段中检测到，整个任务都将沿用该语言</translation>
    </message>
    <message>
        <source>the remaining chunks will use {new} while the {done} chunk(s) already done used {old}; each chunk records its model, and you can redo the finished chunks with the new model (your edits are kept)</source>
        <translation>剩余的片段将使用 {new}，而已完成的 {done} 个片段使用的是 {old}；每个片段都会记录所用的模型，你可以用新模型重新转录已完成的片段（你的编辑会保留）</translation>
    </message>
    <message>
        <source>the remaining chunks will be decoded with beam size {new} instead of {old}</source>
        <translation>剩余的片段将以束宽 {new}（而不是 {old}）解码</translation>
    </message>
    <message>
        <source>alignment already finished with {old}; the new alignment model is not used unless the job is aligned again</source>
        <translation>已使用 {old} 完成对齐；除非重新对齐该任务，否则不会使用新的对齐模型</translation>
    </message>
</context>
<context>
    <name>SegmentPlayer</name>
    <message>
        <source>nothing to play between {start} s and {end} s</source>
        <extracomment>How often the position is checked while a range plays (milliseconds). The furthest the position is estimated beyond the backend&apos;s last report. A position reported this far before the range&apos;s start still counts as &quot;in the range&quot; (a seek lands on a nearby frame). A range is given up this long after it should have ended (the stream stalled). A file that has not loaded after this long is reported as unplayable. The playing position in seconds (every tick while playing, and after a seek). The range played to its end (not sent after ``stop()`` or a new ``play_range``). True when a range starts playing, False when it ends or is stopped. The file could not be played; a message for the user.</extracomment>
        <translation>{start} 秒到 {end} 秒之间没有可播放的内容</translation>
    </message>
    <message>
        <source>{file} is not a playable file.</source>
        <translation>{file} 不是可播放的文件。</translation>
    </message>
    <message>
        <source>{file} did not load in time.</source>
        <translation>{file} 未能及时加载。</translation>
    </message>
</context>
<context>
    <name>SettingsForm</name>
    <message>
        <source>Choose folder…</source>
        <extracomment>The texts below are English; widgets show them through ``_t`` (the &quot;SettingsForm&quot; context), and tests compare them in English.</extracomment>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>auto picks the best ready model</source>
        <extracomment>What &quot;auto&quot; means in the model list: the pipeline&apos;s own rule (resolve_whisper_model).</extracomment>
        <translation>auto 会选用已就绪的最佳模型</translation>
    </message>
    <message>
        <source>auto: the best model that is ready on this computer, preferring an English-only model for English. Tools → Models… downloads more.</source>
        <translation>auto：本机上已就绪的最佳模型，英语优先使用纯英语模型。可在“工具 → 模型…”中下载更多模型。</translation>
    </message>
    <message>
        <source>Model</source>
        <extracomment>Asks the user for a folder (the argument is the dialog title); ``None`` when canceled.</extracomment>
        <translation>模型</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务类型</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Compute type</source>
        <translation>计算类型</translation>
    </message>
    <message>
        <source>Beam size</source>
        <translation>束宽</translation>
    </message>
    <message>
        <source>Skip silence (VAD)</source>
        <translation>跳过静音 (VAD)</translation>
    </message>
    <message>
        <source>Chunk length</source>
        <translation>片段长度</translation>
    </message>
    <message>
        <source>Minimum pause between chunks</source>
        <translation>片段之间的最短停顿</translation>
    </message>
    <message>
        <source>Word timestamps</source>
        <translation>逐词时间戳</translation>
    </message>
    <message>
        <source>Alignment model</source>
        <translation>对齐模型</translation>
    </message>
    <message>
        <source>Output format</source>
        <translation>输出格式</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>Detect automatically</source>
        <extracomment>Common languages; a code saved by another client is added to the list when shown.</extracomment>
        <translation>自动检测</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <source>Spanish</source>
        <translation>西班牙语</translation>
    </message>
    <message>
        <source>French</source>
        <translation>法语</translation>
    </message>
    <message>
        <source>German</source>
        <translation>德语</translation>
    </message>
    <message>
        <source>Italian</source>
        <translation>意大利语</translation>
    </message>
    <message>
        <source>Portuguese</source>
        <translation>葡萄牙语</translation>
    </message>
    <message>
        <source>Dutch</source>
        <translation>荷兰语</translation>
    </message>
    <message>
        <source>Russian</source>
        <translation>俄语</translation>
    </message>
    <message>
        <source>Ukrainian</source>
        <translation>乌克兰语</translation>
    </message>
    <message>
        <source>Polish</source>
        <translation>波兰语</translation>
    </message>
    <message>
        <source>Turkish</source>
        <translation>土耳其语</translation>
    </message>
    <message>
        <source>Arabic</source>
        <translation>阿拉伯语</translation>
    </message>
    <message>
        <source>Hindi</source>
        <translation>印地语</translation>
    </message>
    <message>
        <source>Japanese</source>
        <translation>日语</translation>
    </message>
    <message>
        <source>Korean</source>
        <translation>韩语</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>Transcribe</source>
        <translation>转录</translation>
    </message>
    <message>
        <source>Translate to English</source>
        <translation>翻译成英语</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>NVIDIA GPU (CUDA)</source>
        <translation>NVIDIA GPU (CUDA)</translation>
    </message>
    <message>
        <source>SubRip (.srt)</source>
        <translation>SubRip (.srt)</translation>
    </message>
    <message>
        <source>WebVTT (.vtt)</source>
        <translation>WebVTT (.vtt)</translation>
    </message>
    <message>
        <source>JSON (.json)</source>
        <translation>JSON (.json)</translation>
    </message>
    <message>
        <source> s</source>
        <extracomment>Why some settings cannot change, in words a user reads without hovering.</extracomment>
        <translation> 秒</translation>
    </message>
    <message>
        <source>{setting} folder</source>
        <translation>{setting}文件夹</translation>
    </message>
    <message>
        <source>{setting}: {reason}.</source>
        <translation>{setting}：{reason}。</translation>
    </message>
</context>
<context>
    <name>StudioSession</name>
    <message>
        <source>{names}
… and {count} more</source>
        <extracomment>After merging a job&apos;s alignment the window keeps the interpreter to itself this long (repainting the table and the job list) before the pipeline&apos;s srt phase, which is Python work too, competes for it (see JobControl.expect_merge). Measured with bench/bench_gui.py: released at once, the srt phase&apos;s start stalled the window for 45-80 ms; released after 100 ms, it no longer shows among the stalls. Edits reach ``edits.json`` this soon after the last change (the promise is a second).</extracomment>
        <translation>{names}
… 另有 {count} 个</translation>
    </message>
    <message>
        <source>Not a video or audio file</source>
        <translation>不是视频或音频文件</translation>
    </message>
    <message>
        <source>These were not added (only video and audio files can be transcribed):
{names}</source>
        <translation>以下文件未添加（只能转录视频和音频文件）：
{names}</translation>
    </message>
    <message>
        <source>Could not add the file</source>
        <translation>无法添加文件</translation>
    </message>
    <message>
        <source>Pausing after the current chunk…</source>
        <translation>将在当前片段完成后暂停…</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Exported {count} subtitles to {path}</source>
        <translation>已将 {count} 条字幕导出到 {path}</translation>
    </message>
    <message>
        <source>Your edits could not be saved: {error}</source>
        <translation>无法保存您的修改：{error}</translation>
    </message>
    <message>
        <source>The job failed.</source>
        <translation>任务失败。</translation>
    </message>
    <message>
        <source>Paused; resume to continue where it stopped.</source>
        <translation>已暂停；继续任务即可从停止处接着完成。</translation>
    </message>
    <message>
        <source>Canceled; the work done so far is kept.</source>
        <translation>已取消；已完成的部分会保留。</translation>
    </message>
    <message>
        <source>No speech was found; the subtitle file {path} is empty.</source>
        <translation>未检测到语音；字幕文件 {path} 为空。</translation>
    </message>
    <message>
        <source>Subtitles written to {path}</source>
        <translation>字幕已写入 {path}</translation>
    </message>
</context>
<context>
    <name>SubtitleChecks</name>
    <message>
        <source>Ends before it starts: fix its times.</source>
        <extracomment>The row&apos;s stable id (``str``), e.g. ``&quot;3_1&quot;`` or ``&quot;u1a2b…&quot;`` for a row the user added. Whether the user changed the row (``bool``). The core ``Row`` itself, for code that needs several fields at once. Low enough that text stays readable on the tint in light and dark palettes alike. Which cell shows which check&apos;s warning (colour and tooltip).</extracomment>
        <translation>结束时间早于开始时间：请修正其时间。</translation>
    </message>
    <message>
        <source>Too fast to read: {cps} characters per second (at most {max_cps}); shorten the text or lengthen the time.</source>
        <translation>语速过快，来不及阅读：每秒 {cps} 个字符（最多 {max_cps}）；请缩短文本或延长显示时间。</translation>
    </message>
    <message>
        <source>A line has {count} characters (at most {limit}).</source>
        <translation>有一行包含 {count} 个字符（最多 {limit}）。</translation>
    </message>
    <message>
        <source>{lines} lines (at most {max_lines}).</source>
        <translation>共 {lines} 行（最多 {max_lines} 行）。</translation>
    </message>
    <message>
        <source>Shown for {duration} s, less than {limit} s.</source>
        <translation>显示 {duration} 秒，少于 {limit} 秒。</translation>
    </message>
    <message>
        <source>Shown for {duration} s, more than {limit} s.</source>
        <translation>显示 {duration} 秒，多于 {limit} 秒。</translation>
    </message>
    <message>
        <source>Overlaps the next subtitle by {overlap} s.</source>
        <translation>与下一条字幕重叠 {overlap} 秒。</translation>
    </message>
</context>
<context>
    <name>SubtitleTable</name>
    <message>
        <source>#</source>
        <extracomment>Translation context of the table&apos;s headers and tooltips (``headerData`` translates). English sources; shown through ``QCoreApplication.translate(CONTEXT, …)``.</extracomment>
        <translation>序号</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>CPS</source>
        <translation>字/秒</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Subtitle number; ✎ marks a subtitle you edited</source>
        <translation>字幕序号；✎ 表示你编辑过的字幕</translation>
    </message>
    <message>
        <source>When the subtitle appears (double-click to change)</source>
        <translation>字幕出现的时间（双击修改）</translation>
    </message>
    <message>
        <source>When the subtitle disappears (double-click to change)</source>
        <translation>字幕消失的时间（双击修改）</translation>
    </message>
    <message>
        <source>How long the subtitle stays on screen</source>
        <translation>字幕在屏幕上停留的时长</translation>
    </message>
    <message>
        <source>Reading speed in characters per second</source>
        <translation>阅读速度，单位为每秒字符数</translation>
    </message>
    <message>
        <source>The subtitle text (double-click to change; Shift+Enter for a new line)</source>
        <translation>字幕文本（双击修改；Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>text</source>
        <extracomment>The names of a row&apos;s fields in &quot;Edited by you: …&quot;, in ``_FIELD_ORDER``.</extracomment>
        <translation>文本</translation>
    </message>
    <message>
        <source>start</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>end</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <source>Added by you</source>
        <extracomment>A typed value was refused; the message says why and how to type it. A row&apos;s edits changed (edit, insert, delete, undo, redo): time to save edits.json and perhaps re-align the row. The row may no longer exist (deleted). ``check_rows`` of the document, recomputed on first use after a change.</extracomment>
        <translation>由你添加</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Edited by you: {fields}</source>
        <translation>由你编辑：{fields}</translation>
    </message>
    <message>
        <source>Edited by you</source>
        <translation>由你编辑</translation>
    </message>
    <message>
        <source>The times were re-aligned to your text</source>
        <translation>时间已按你的文本重新对齐</translation>
    </message>
</context>
<context>
    <name>Undo</name>
    <message>
        <source>Edit subtitle {number} (text and times)</source>
        <extracomment>Called with a row id after an undo or redo changed that row&apos;s edits, so the window can schedule saving ``edits.json`` and re-alignment exactly as for a fresh edit.</extracomment>
        <translation>编辑字幕行 {number}（文本和时间）</translation>
    </message>
    <message>
        <source>Edit subtitle {number} (text)</source>
        <translation>编辑字幕行 {number}（文本）</translation>
    </message>
    <message>
        <source>Edit subtitle {number} (times)</source>
        <translation>编辑字幕行 {number}（时间）</translation>
    </message>
    <message>
        <source>Edit subtitle {number}</source>
        <translation>编辑字幕行 {number}</translation>
    </message>
    <message>
        <source>Delete subtitle {number}</source>
        <translation>删除字幕行 {number}</translation>
    </message>
    <message>
        <source>Delete {count} subtitles</source>
        <translation>删除 {count} 条字幕</translation>
    </message>
    <message>
        <source>Add subtitle at {time}</source>
        <translation>在 {time} 处添加字幕</translation>
    </message>
</context>
</TS>
