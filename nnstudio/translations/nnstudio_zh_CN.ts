<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>nnstudio</name>
        <message>
            <location filename="../ui/autosave.py" line="188" />
            <source>Stop the training before opening a project.</source>
            <translation>请先停止训练，再打开项目。</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="213" />
            <source>Saved {path}</source>
            <translation>已保存 {path}</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="224" />
            <source>Save project</source>
            <translation>保存项目</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="237" />
            <source>Open project</source>
            <translation>打开项目</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="249" />
            <source>Stop the training before starting a new project.</source>
            <translation>请先停止训练，再新建项目。</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="276" />
            <source>Unsaved changes</source>
            <translation>未保存的更改</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="277" />
            <source>{name} has unsaved changes. Save them?</source>
            <translation>{name} 有未保存的更改。要保存吗？</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="293" />
            <source>&amp;New</source>
            <translation>新建(&amp;N)</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="295" />
            <source>&amp;Open…</source>
            <translation>打开(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="297" />
            <source>Open &amp;Recent</source>
            <translation>最近打开(&amp;R)</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="301" />
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="304" />
            <source>Save &amp;As…</source>
            <translation>另存为(&amp;A)…</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="308" />
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="323" />
            <source>(none yet)</source>
            <translation>(暂无)</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="327" />
            <source>Clear the list</source>
            <translation>清空列表</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="343" />
            <source>nnstudio did not close properly last time. Restore the autosaved project?</source>
            <translation>nnstudio 上次没有正常关闭。要恢复自动保存的项目吗？</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="348" />
            <source>Restore</source>
            <translation>恢复</translation>
        </message>
        <message>
            <location filename="../ui/autosave.py" line="349" />
            <source>Discard</source>
            <translation>丢弃</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="75" />
            <source>{name} (download)</source>
            <translation>{name}(需下载)</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="97" />
            <source>{name} (imported)</source>
            <translation>{name}(已导入)</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="103" />
            <source>{name} (drawn)</source>
            <translation>{name}(手绘)</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="165" />
            <source>{n} training / {m} validation samples</source>
            <translation>{n} 个训练样本 / {m} 个验证样本</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="169" />
            <source>, {k} classes</source>
            <translation>，{k} 个类别</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="171" />
            <source>, regression</source>
            <translation>，回归</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="181" />
            <location filename="../ui/data_box.py" line="183" />
            <source>Loading {name}…</source>
            <translation>正在加载 {name}…</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="210" />
            <source>Loading cancelled — choose the dataset again to retry</source>
            <translation>加载已取消——重新选择数据集即可重试</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="217" />
            <source>Could not load this dataset (see the message above).</source>
            <translation>无法加载这个数据集(见上方消息)。</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="221" />
            <location filename="../ui/main_window.py" line="349" />
            <source>The dataset could not be loaded: {m}</source>
            <translation>无法加载数据集：{m}</translation>
        </message>
        <message>
            <location filename="../ui/export_menu.py" line="21" />
            <source>PyTorch &amp;Script…</source>
            <translation>PyTorch 脚本(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../ui/export_menu.py" line="22" />
            <source>Python script (*.py)</source>
            <translation>Python 脚本 (*.py)</translation>
        </message>
        <message>
            <location filename="../ui/export_menu.py" line="26" />
            <source>&amp;ONNX Model…</source>
            <translation>ONNX 模型(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../ui/export_menu.py" line="26" />
            <source>ONNX model (*.onnx)</source>
            <translation>ONNX 模型 (*.onnx)</translation>
        </message>
        <message>
            <location filename="../ui/export_menu.py" line="28" />
            <source>&amp;Weights (safetensors)…</source>
            <translation>权重 (safetensors)(&amp;W)…</translation>
        </message>
        <message>
            <location filename="../ui/export_menu.py" line="29" />
            <source>safetensors weights (*.safetensors)</source>
            <translation>safetensors 权重 (*.safetensors)</translation>
        </message>
        <message>
            <location filename="../ui/export_menu.py" line="34" />
            <source>Network &amp;Spec (JSON)…</source>
            <translation>网络结构 (JSON)(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../ui/export_menu.py" line="35" />
            <source>JSON spec (*.json)</source>
            <translation>JSON 网络结构 (*.json)</translation>
        </message>
        <message>
            <location filename="../ui/export_menu.py" line="45" />
            <source>&amp;Export</source>
            <translation>导出(&amp;E)</translation>
        </message>
        <message>
            <location filename="../ui/export_menu.py" line="61" />
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <location filename="../ui/export_menu.py" line="75" />
            <source>Export failed: {reason}</source>
            <translation>导出失败：{reason}</translation>
        </message>
        <message>
            <location filename="../ui/export_menu.py" line="79" />
            <source>Exported to {path}</source>
            <translation>已导出到 {path}</translation>
        </message>
        <message>
            <location filename="../ui/finetune_actions.py" line="32" />
            <source>Start from &amp;Weights…</source>
            <translation>从已有权重开始(&amp;W)…</translation>
        </message>
        <message>
            <location filename="../ui/finetune_actions.py" line="34" />
            <source>Give the layers whose shapes match the weights of another project, a .safetensors file or a pretrained model</source>
            <translation>让形状相同的层载入另一个项目、.safetensors 文件或预训练模型的权重</translation>
        </message>
        <message>
            <location filename="../ui/finetune_actions.py" line="37" />
            <source>Import &amp;Pretrained Weights…</source>
            <translation>导入预训练权重(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../ui/finetune_actions.py" line="39" />
            <source>Check and cache a pretrained weights file you downloaded by hand (e.g. resnet34-b627a593.pth)</source>
            <translation>核对并缓存你手动下载的预训练权重文件(例如 resnet34-b627a593.pth)</translation>
        </message>
        <message>
            <location filename="../ui/finetune_actions.py" line="42" />
            <source>New &amp;Drawn Dataset…</source>
            <translation>新建手绘数据集(&amp;D)…</translation>
        </message>
        <message>
            <location filename="../ui/finetune_actions.py" line="44" />
            <source>Name classes, draw examples of each, and train on them</source>
            <translation>命名类别，为每个类别画出样例，然后用它们训练</translation>
        </message>
        <message>
            <location filename="../ui/finetune_actions.py" line="77" />
            <source>A project or .safetensors file…</source>
            <translation>项目或 .safetensors 文件…</translation>
        </message>
        <message>
            <location filename="../ui/finetune_actions.py" line="79" />
            <location filename="../ui/finetune_actions.py" line="84" />
            <source>Start from weights</source>
            <translation>从已有权重开始</translation>
        </message>
        <message>
            <location filename="../ui/finetune_actions.py" line="80" />
            <source>Source of the weights:</source>
            <translation>权重来源：</translation>
        </message>
        <message>
            <location filename="../ui/finetune_actions.py" line="102" />
            <source>The {name} weights are not downloaded yet: run `nnstudio pretrained download {name}`, or download the file by hand and use File &gt; Import Pretrained Weights…</source>
            <translation>{name} 的权重还没有下载：请运行 `nnstudio pretrained download {name}`，或手动下载文件后使用 文件 &gt; 导入预训练权重…</translation>
        </message>
        <message>
            <location filename="../ui/finetune_actions.py" line="121" />
            <source>Import pretrained weights</source>
            <translation>导入预训练权重</translation>
        </message>
        <message>
            <location filename="../ui/finetune_actions.py" line="135" />
            <source>{title} weights checked and ready: {path}</source>
            <translation>{title} 的权重已核对，可以使用：{path}</translation>
        </message>
        <message>
            <location filename="../ui/layer_editor.py" line="77" />
            <source>from {lo} to {hi}</source>
            <translation>范围 {lo} 到 {hi}</translation>
        </message>
        <message>
            <location filename="../ui/layer_editor.py" line="78" />
            <source> (not included)</source>
            <translation>(不含)</translation>
        </message>
        <message>
            <location filename="../ui/layer_editor.py" line="101" />
            <source>'{raw}' is not a whole number</source>
            <translation>“{raw}”不是整数</translation>
        </message>
        <message>
            <location filename="../ui/layer_editor.py" line="109" />
            <source>{value} is outside the range {range}</source>
            <translation>{value} 超出范围：{range}</translation>
        </message>
        <message>
            <location filename="../ui/layer_editor.py" line="274" />
            <location filename="../ui/stack_model.py" line="240" />
            <source>in {a} → out {b}, {n} parameters</source>
            <translation>输入 {a} → 输出 {b}，{n} 个参数</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="45" />
            <source>Layers</source>
            <translation>层</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="46" />
            <source>Losses</source>
            <translation>损失函数</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="47" />
            <source>Optimizers</source>
            <translation>优化器</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="48" />
            <source>Settings</source>
            <translation>训练设置</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="49" />
            <source>Architectures</source>
            <translation>经典架构</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="50" />
            <source>Diagnoses</source>
            <translation>诊断</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="51" />
            <source>Weight init schemes</source>
            <translation>权重初始化方式</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="57" />
            <source>Learning rate</source>
            <translation>学习率</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="57" />
            <source>Weight init</source>
            <translation>权重初始化</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="82" />
            <source>Right-click: Learn more</source>
            <translation>右键单击：了解更多</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="276" />
            <source>Stop the training before starting an experiment.</source>
            <translation>请先停止训练，再开始实验。</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="283" />
            <source>Experiment: {title}. {text}</source>
            <translation>实验：{title}。{text}</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="293" />
            <source>Experiment: {title} ({run})</source>
            <translation>实验：{title}({run})</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="314" />
            <source>The experiment could not start: {why}</source>
            <translation>实验无法开始：{why}</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="333" />
            <source>loading was cancelled</source>
            <translation>加载已取消</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="402" />
            <source>Learn more about {name}…</source>
            <translation>了解 {name} 的更多信息…</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="430" />
            <source>&amp;Learn More…</source>
            <translation>了解更多(&amp;L)…</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="432" />
            <source>Formulas, advice and one-click experiments</source>
            <translation>公式、使用建议和一键实验</translation>
        </message>
        <message>
            <location filename="../ui/messages.py" line="51" />
            <source>layer {pos} {kind}</source>
            <translation>第 {pos} 层 {kind}</translation>
        </message>
        <message>
            <location filename="../ui/messages.py" line="60" />
            <source>a run is in progress</source>
            <translation>正在训练中</translation>
        </message>
        <message>
            <location filename="../ui/messages.py" line="61" />
            <source>the dataset is still loading</source>
            <translation>数据集仍在加载</translation>
        </message>
        <message>
            <location filename="../ui/messages.py" line="62" />
            <source>no dataset is loaded</source>
            <translation>尚未加载数据集</translation>
        </message>
        <message>
            <location filename="../ui/messages.py" line="76" />
            <source>Training finished</source>
            <translation>训练完成</translation>
        </message>
        <message>
            <location filename="../ui/messages.py" line="77" />
            <source>Training stopped</source>
            <translation>训练已停止</translation>
        </message>
        <message>
            <location filename="../ui/messages.py" line="78" />
            <source>Stopped early: validation loss stopped improving</source>
            <translation>提前停止：验证损失不再下降</translation>
        </message>
        <message>
            <location filename="../ui/messages.py" line="79" />
            <source>Training failed</source>
            <translation>训练失败</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="125" />
            <location filename="../ui/preferences.py" line="238" />
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="126" />
            <source>nnstudio could not restart itself: please start it again.</source>
            <translation>nnstudio 无法自动重启：请手动重新启动。</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="205" />
            <source>&amp;Preferences…</source>
            <translation>首选项(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="213" />
            <source>Choose the language and the theme</source>
            <translation>选择语言和主题</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="239" />
            <source>The new language takes effect after a restart.</source>
            <translation>新的语言将在重新启动后生效。</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="240" />
            <source>Restart Now</source>
            <translation>立即重启</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="241" />
            <source>Later</source>
            <translation>稍后</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="173" />
            <location filename="../ui/run_controls.py" line="178" />
            <location filename="../ui/run_controls.py" line="201" />
            <source>Can't train: {why}</source>
            <translation>无法训练：{why}</translation>
        </message>
        <message>
            <location filename="../ui/stack_model.py" line="62" />
            <source>{n} units</source>
            <translation>{n} 个单元</translation>
        </message>
        <message>
            <location filename="../ui/stack_model.py" line="65" />
            <source>{n} channels</source>
            <translation>{n} 个通道</translation>
        </message>
        <message>
            <location filename="../ui/stack_model.py" line="65" />
            <source>same width</source>
            <translation>宽度不变</translation>
        </message>
        <message>
            <location filename="../ui/stack_model.py" line="70" />
            <source>stride {n}</source>
            <translation>步长 {n}</translation>
        </message>
        <message>
            <location filename="../ui/stack_model.py" line="72" />
            <source>ImageNet weights</source>
            <translation>ImageNet 权重</translation>
        </message>
        <message>
            <location filename="../ui/stack_model.py" line="73" />
            <source>random weights</source>
            <translation>随机权重</translation>
        </message>
        <message>
            <location filename="../ui/stack_model.py" line="226" />
            <source>{n} params</source>
            <translation>{n} 个参数</translation>
        </message>
        <message>
            <location filename="../ui/stack_model.py" line="247" />
            <source>Frozen: training leaves this layer's weights unchanged</source>
            <translation>已冻结：训练不会改变这一层的权重</translation>
        </message>
        <message>
            <location filename="../ui/stack_model.py" line="249" />
            <source>outputs: {names}</source>
            <translation>输出：{names}</translation>
        </message>
        <message>
            <location filename="../ui/training.py" line="533" />
            <source>loading was cancelled — choose the dataset again to retry</source>
            <translation>加载已取消——重新选择数据集即可重试</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="46" />
            <source>Automatic (best available)</source>
            <translation>自动(选最好的可用设备)</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="52" />
            <source>Apple GPU (MPS)</source>
            <translation>Apple GPU (MPS)</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="189" />
            <source>Set {field}</source>
            <translation>设置 {field}</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="213" />
            <source>{device} (not on this machine)</source>
            <translation>{device}(本机没有)</translation>
        </message>
    </context>
    <context>
        <name>ActivationsView</name>
        <message>
            <location filename="../ui/views/activations.py" line="45" />
            <source>Histogram of each layer's outputs on a fixed batch. 'saturated': Sigmoid/Tanh outputs pinned near their limits (they pass back almost no gradient); 'dead': ReLU units that output 0 for every sample (they stop learning).</source>
            <translation>每一层在固定批次上的输出直方图。“饱和”：Sigmoid/Tanh 的输出贴近上下限(几乎传不回梯度)；“死亡”：对所有样本都输出 0 的 ReLU 单元(不再学习)。</translation>
        </message>
        <message>
            <location filename="../ui/views/activations.py" line="94" />
            <source>saturated</source>
            <translation>饱和</translation>
        </message>
        <message>
            <location filename="../ui/views/activations.py" line="94" />
            <source>dead</source>
            <translation>死亡</translation>
        </message>
    </context>
    <context>
        <name>AttentionView</name>
        <message>
            <location filename="../ui/views/attention.py" line="56" />
            <source>query (the step that looks)</source>
            <translation>查询(发出查看的步)</translation>
        </message>
        <message>
            <location filename="../ui/views/attention.py" line="57" />
            <source>key (the step looked at)</source>
            <translation>键(被查看的步)</translation>
        </message>
        <message>
            <location filename="../ui/views/attention.py" line="66" />
            <source>Attention maps appear while a network with a MultiheadAttention or TransformerEncoderLayer trains (try the preset attention-reverse).</source>
            <translation>含有 MultiheadAttention 或 TransformerEncoderLayer 的网络训练时，这里会显示注意力图(可试试预设 attention-reverse)。</translation>
        </message>
        <message>
            <location filename="../ui/views/attention.py" line="70" />
            <source>Click a cell to see what its number means.</source>
            <translation>点击一个格子，查看它的数值是什么意思。</translation>
        </message>
        <message>
            <location filename="../ui/views/attention.py" line="75" />
            <source>Layer</source>
            <translation>层</translation>
        </message>
        <message>
            <location filename="../ui/views/attention.py" line="77" />
            <source>Head</source>
            <translation>头</translation>
        </message>
        <message>
            <location filename="../ui/views/attention.py" line="117" />
            <source>average of the heads</source>
            <translation>各个头的平均</translation>
        </message>
        <message>
            <location filename="../ui/views/attention.py" line="119" />
            <source>head {n}</source>
            <translation>第 {n} 个头</translation>
        </message>
        <message>
            <location filename="../ui/views/attention.py" line="164" />
            <source>Query step {q} (token {qt}) gives key step {k} (token {kt}) the weight {w:.3f}: softmax over the row of the scores q·k/√d (the query's vector dotted with each key's, divided by the square root of the head width), so the {n} weights of the row add up to 1. Its score is {gap:.2f} below the row's highest, at key step {b} (token {bt}).</source>
            <translation>查询第 {q} 步(词元 {qt})给键第 {k} 步(词元 {kt})的权重是 {w:.3f}：它是对这一行的得分 q·k/√d(查询向量与每个键向量的点积，再除以头宽度的平方根)做 softmax 的结果，所以这一行的 {n} 个权重之和为 1。它的得分比这一行最高的得分低 {gap:.2f}，最高的在键第 {b} 步(词元 {bt})。</translation>
        </message>
        <message>
            <location filename="../ui/views/attention.py" line="181" />
            <source>(Shown: the average of the heads' weights.)</source>
            <translation>(显示的是各个头权重的平均值。)</translation>
        </message>
    </context>
    <context>
        <name>BackpropGraph</name>
        <message>
            <location filename="../ui/views/backprop_graph.py" line="227" />
            <source>target {0}</source>
            <translation>目标 {0}</translation>
        </message>
    </context>
    <context>
        <name>BackpropLab</name>
        <message>
            <location filename="../ui/views/backprop_edits.py" line="99" />
            <source>write the layer sizes like 2-3-2</source>
            <translation>请按 2-3-2 的格式填写各层大小</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_lab.py" line="139" />
            <source>&lt;b&gt;Backward&lt;/b&gt;: the chain rule for the selected weight (click an edge or a bias box)</source>
            <translation>&lt;b&gt;反向传播&lt;/b&gt;：所选权重的链式法则(点击一条边或一个偏置框)</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_lab.py" line="283" />
            <source>E = {0}   outputs ({1}), targets ({2})</source>
            <translation>E = {0}   输出 ({1})，目标 ({2})</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_lab.py" line="369" />
            <source>The studio's network does not fit the lab: {0}. The lab keeps its own network.</source>
            <translation>工作室中的网络不适用于本实验室：{0}。实验室保留它自己的网络。</translation>
        </message>
    </context>
    <context>
        <name>CardDelegate</name>
        <message>
            <location filename="../ui/stack_view.py" line="193" />
            <source>→ {shape}   ·   {n} params</source>
            <translation>→ {shape}   ·   {n} 个参数</translation>
        </message>
    </context>
    <context>
        <name>CoachBanner</name>
        <message>
            <location filename="../ui/coach_banner.py" line="41" />
            <source>Try the cure</source>
            <translation>试试这个办法</translation>
        </message>
        <message>
            <location filename="../ui/coach_banner.py" line="68" />
            <source> (+{n} more)</source>
            <translation>（另有 {n} 条）</translation>
        </message>
        <message>
            <location filename="../ui/coach_banner.py" line="99" />
            <source>Coach: %1</source>
            <translation>教练：%1</translation>
        </message>
    </context>
    <context>
        <name>CurvesView</name>
        <message>
            <location filename="../ui/curves.py" line="157" />
            <source>epoch</source>
            <translation>轮次</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="158" />
            <source>Loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="158" />
            <source>loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="160" />
            <location filename="../ui/curves.py" line="366" />
            <source>Validation accuracy</source>
            <translation>验证准确率</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="160" />
            <location filename="../ui/curves.py" line="367" />
            <source>accuracy %</source>
            <translation>准确率 %</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="164" />
            <source>Training loss per batch (faint: raw, solid: smoothed) and per epoch, validation loss per epoch. Lower is better.</source>
            <translation>每批次的训练损失(淡色：原始值，实线：平滑后)和每轮的训练损失，以及每轮的验证损失。越低越好。</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="171" />
            <source>Share of validation samples classified correctly after each epoch.</source>
            <translation>每轮结束后被正确分类的验证样本所占比例。</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="175" />
            <source>Log scale</source>
            <translation>对数坐标</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="179" />
            <source>Show the loss on a logarithmic axis: small late improvements become visible.</source>
            <translation>用对数坐标轴显示损失：后期的微小改进也能看清。</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="184" />
            <source>&amp;Log-Scale Loss</source>
            <translation>对数坐标显示损失(&amp;L)</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="191" />
            <source>Move the mouse over a plot to read values.</source>
            <translation>把鼠标移到图上即可读取数值。</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="209" />
            <source>batch (raw)</source>
            <translation>批次(原始)</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="210" />
            <source>batch (smoothed)</source>
            <translation>批次(平滑)</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="211" />
            <source>train / epoch</source>
            <translation>训练 / 每轮</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="212" />
            <source>validation / epoch</source>
            <translation>验证 / 每轮</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="213" />
            <source>validation</source>
            <translation>验证</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="214" />
            <source>train</source>
            <translation>训练</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="293" />
            <source>loss became NaN/Inf</source>
            <translation>损失变成了 NaN/Inf</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="362" />
            <source>Validation R² (1 = perfect fit)</source>
            <translation>验证 R²(1 表示完美拟合)</translation>
        </message>
        <message>
            <location filename="../ui/curves.py" line="452" />
            <source>epoch {x}</source>
            <translation>第 {x} 轮</translation>
        </message>
    </context>
    <context>
        <name>DataBox</name>
        <message>
            <location filename="../ui/data_box.py" line="47" />
            <source>Data</source>
            <translation>数据</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="84" />
            <source>The data to learn from; its input shape becomes the network's input.</source>
            <translation>用来学习的数据；它的输入形状就是网络的输入形状。</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="92" />
            <source>Use your own data: a folder of images (one folder per class), IDX files or CSV</source>
            <translation>使用自己的数据：图片文件夹(每个类别一个子文件夹)、IDX 文件或 CSV</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="107" />
            <source>Draw…</source>
            <translation>手绘…</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="109" />
            <source>New drawn dataset…: name classes and draw examples of each</source>
            <translation>新建手绘数据集…：给类别命名并为每个类别画出样例</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="140" />
            <source>Choose a data folder</source>
            <translation>选择数据文件夹</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="183" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../ui/data_box.py" line="186" />
            <source>Dataset</source>
            <translation>数据集</translation>
        </message>
    </context>
    <context>
        <name>DataPreview</name>
        <message>
            <location filename="../ui/data_preview.py" line="120" />
            <source>Training points; colour = class</source>
            <translation>训练点；颜色表示类别</translation>
        </message>
        <message>
            <location filename="../ui/data_preview.py" line="151" />
            <source>Augmented copies:</source>
            <translation>增强副本：</translation>
        </message>
        <message>
            <location filename="../ui/data_preview.py" line="153" />
            <source>Each training image is also learned shifted, slightly turned and sometimes mirrored; validation images stay as they are</source>
            <translation>每张训练图像也会以平移、轻微旋转、有时镜像的形式被学习；验证图像保持不变</translation>
        </message>
        <message>
            <location filename="../ui/data_preview.py" line="161" />
            <source>{label}, augmented</source>
            <translation>{label}（增强）</translation>
        </message>
    </context>
    <context>
        <name>DecisionBoundaryView</name>
        <message>
            <location filename="../ui/views/boundary.py" line="87" />
            <source>Click adds points of class</source>
            <translation>点击添加该类别的点：</translation>
        </message>
        <message>
            <location filename="../ui/views/boundary.py" line="89" />
            <source>Retrain with added points</source>
            <translation>加入新点后重新训练</translation>
        </message>
        <message>
            <location filename="../ui/views/boundary.py" line="94" />
            <source>Click the plane to see the prediction there.</source>
            <translation>点击平面即可查看该处的预测。</translation>
        </message>
        <message>
            <location filename="../ui/views/boundary.py" line="98" />
            <location filename="../ui/views/boundary.py" line="140" />
            <source>dots: training points, squares: test points</source>
            <translation>圆点：训练点，方块：测试点</translation>
        </message>
        <message>
            <location filename="../ui/views/boundary.py" line="130" />
            <source>The decision boundary shows classification datasets with 2 inputs; this one is a regression.</source>
            <translation>决策边界用于有 2 个输入的分类数据集；这个数据集是回归问题。</translation>
        </message>
        <message>
            <location filename="../ui/views/boundary.py" line="136" />
            <source>dots: training data, line: what the network predicts</source>
            <translation>圆点：训练数据，曲线：网络的预测</translation>
        </message>
        <message>
            <location filename="../ui/views/boundary.py" line="145" />
            <source>The decision boundary needs a dataset with 2 inputs (or 1 input for a fitted curve); this one has {n}.</source>
            <translation>决策边界需要有 2 个输入的数据集(或 1 个输入，显示拟合曲线)；当前数据集有 {n} 个输入。</translation>
        </message>
        <message>
            <location filename="../ui/views/boundary.py" line="263" />
            <source>at ({x}, {y}): predicted {name} — {ranked}</source>
            <translation>在 ({x}, {y})：预测为 {name} — {ranked}</translation>
        </message>
    </context>
    <context>
        <name>DigitCanvas</name>
        <message>
            <location filename="../ui/canvas.py" line="80" />
            <source>Draw here with the mouse, a pen or a finger. Ctrl+Z undoes the last stroke, Delete clears.</source>
            <translation>用鼠标、手写笔或手指在这里书写。Ctrl+Z 撤销上一笔，Delete 清空。</translation>
        </message>
        <message>
            <location filename="../ui/canvas.py" line="84" />
            <source>Drawing canvas</source>
            <translation>画布</translation>
        </message>
        <message>
            <location filename="../ui/canvas.py" line="88" />
            <source>Draw a digit here</source>
            <translation>在这里写一个数字</translation>
        </message>
    </context>
    <context>
        <name>DrawnDatasetDialog</name>
        <message>
            <location filename="../ui/drawn_dataset.py" line="53" />
            <source>New drawn dataset</source>
            <translation>新建手绘数据集</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="64" />
            <source>The dataset's name, also its folder's</source>
            <translation>数据集的名称，也是它的文件夹名</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="68" />
            <source>New class, e.g. circle or 甲</source>
            <translation>新类别，例如 圆 或 甲</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="70" />
            <source>Add class</source>
            <translation>添加类别</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="78" />
            <source>Add drawing</source>
            <translation>添加这幅画</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="81" />
            <source>Save the drawing to the selected class (Enter) and clear the canvas</source>
            <translation>把这幅画保存到所选类别(回车)，并清空画布</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="84" />
            <source>Clear</source>
            <translation>清空</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="93" />
            <source>Drawings of the selected class: select a bad one and press Delete</source>
            <translation>所选类别的画：选中画得不好的一幅，按 Delete 删除</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="95" />
            <source>Delete drawing</source>
            <translation>删除这幅画</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="103" />
            <source>Use this dataset</source>
            <translation>使用这个数据集</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="106" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="113" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="115" />
            <source>Classes</source>
            <translation>类别</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="156" />
            <source>Add a class first, then draw examples of it.</source>
            <translation>请先添加一个类别，再画它的样例。</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="192" />
            <source>{name}   ({n})</source>
            <translation>{name}   ({n})</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="195" />
            <source>{n} more drawings would help</source>
            <translation>再画 {n} 幅会更好</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="224" />
            <source>Name two or more classes, then draw about {n} examples of each.</source>
            <translation>请命名两个或更多类别，然后每类画大约 {n} 个样例。</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="227" />
            <source>{classes} classes, {total} drawings, saved in {folder}</source>
            <translation>{classes} 个类别，{total} 幅画，保存在 {folder}</translation>
        </message>
        <message>
            <location filename="../ui/drawn_dataset.py" line="238" />
            <source>My drawings</source>
            <translation>我的手绘</translation>
        </message>
    </context>
    <context>
        <name>EvaluationView</name>
        <message>
            <location filename="../ui/views/evaluation.py" line="52" />
            <source>true class</source>
            <translation>真实类别</translation>
        </message>
        <message>
            <location filename="../ui/views/evaluation.py" line="53" />
            <source>predicted class</source>
            <translation>预测类别</translation>
        </message>
        <message>
            <location filename="../ui/views/evaluation.py" line="62" />
            <source>accuracy per class</source>
            <translation>各类别准确率</translation>
        </message>
        <message>
            <location filename="../ui/views/evaluation.py" line="87" />
            <source>The confusion matrix appears after the first epoch. Click a cell to see its samples.</source>
            <translation>第一轮结束后会显示混淆矩阵。点击单元格可查看其中的样本。</translation>
        </message>
        <message>
            <location filename="../ui/views/evaluation.py" line="135" />
            <source>{right} of {total} validation samples classified correctly. The most confident mistakes are listed below; click a cell to see its samples.</source>
            <translation>{total} 个验证样本中有 {right} 个分类正确。下面列出最有把握的错误；点击一个格子可查看其中的样本。</translation>
        </message>
        <message>
            <location filename="../ui/views/evaluation.py" line="199" />
            <source>{n} samples of {name} classified correctly.</source>
            <translation>{n} 个 {name} 样本被正确分类。</translation>
        </message>
        <message>
            <location filename="../ui/views/evaluation.py" line="207" />
            <source>{n} samples of {t} taken for {p}; the {k} most confident mistakes first:</source>
            <translation>{n} 个 {t} 样本被误判为 {p}；最有把握的 {k} 个错误排在前面：</translation>
        </message>
        <message>
            <location filename="../ui/views/evaluation.py" line="219" />
            <source>#{i}  true: {t}  predicted: {p} ({c})</source>
            <translation>#{i}  真实：{t}  预测：{p} ({c})</translation>
        </message>
    </context>
    <context>
        <name>FeatureMapView</name>
        <message>
            <location filename="../ui/views/feature_maps.py" line="64" />
            <source>Which validation sample to look at</source>
            <translation>要查看哪个验证样本</translation>
        </message>
        <message>
            <location filename="../ui/views/feature_maps.py" line="70" />
            <source>Sample:</source>
            <translation>样本：</translation>
        </message>
        <message>
            <location filename="../ui/views/feature_maps.py" line="79" />
            <source>Train a network with convolution layers to see what each channel detects.</source>
            <translation>训练一个带卷积层的网络，即可看到每个通道检测到了什么。</translation>
        </message>
        <message>
            <location filename="../ui/views/feature_maps.py" line="91" />
            <source>Click a tile to enlarge it.</source>
            <translation>点击图块可放大。</translation>
        </message>
        <message>
            <location filename="../ui/views/feature_maps.py" line="160" />
            <source>{layer}: {n} channels, {h}x{w}</source>
            <translation>{layer}：{n} 个通道，{h}x{w}</translation>
        </message>
        <message>
            <location filename="../ui/views/feature_maps.py" line="173" />
            <source>{layer}: {n} outputs</source>
            <translation>{layer}：{n} 个输出</translation>
        </message>
        <message>
            <location filename="../ui/views/feature_maps.py" line="204" />
            <source>{layer}, channel {c}</source>
            <translation>{layer}，通道 {c}</translation>
        </message>
        <message>
            <location filename="../ui/views/feature_maps.py" line="214" />
            <source>your drawing</source>
            <translation>你的手写</translation>
        </message>
        <message>
            <location filename="../ui/views/feature_maps.py" line="241" />
            <source>validation sample {i} {label}</source>
            <translation>验证样本 {i} {label}</translation>
        </message>
    </context>
    <context>
        <name>FolderOptions</name>
        <message>
            <location filename="../ui/folder_options.py" line="78" />
            <location filename="../ui/folder_options.py" line="87" />
            <source>Auto</source>
            <translation>自动</translation>
        </message>
        <message>
            <location filename="../ui/folder_options.py" line="82" />
            <source>Every image is resized to this square size; Auto: the most common size in the folder</source>
            <translation>每张图像都缩放为这个正方形尺寸；自动：取文件夹中最常见的尺寸</translation>
        </message>
        <message>
            <location filename="../ui/folder_options.py" line="87" />
            <source>Grayscale</source>
            <translation>灰度</translation>
        </message>
        <message>
            <location filename="../ui/folder_options.py" line="88" />
            <location filename="../ui/folder_options.py" line="111" />
            <source>Colour</source>
            <translation>彩色</translation>
        </message>
        <message>
            <location filename="../ui/folder_options.py" line="91" />
            <source>Auto: grayscale when every image is gray, otherwise colour</source>
            <translation>自动：所有图像都是灰度时用灰度，否则用彩色</translation>
        </message>
        <message>
            <location filename="../ui/folder_options.py" line="99" />
            <source>Share of the images kept aside to check the model on</source>
            <translation>留出用来检验模型的图像比例</translation>
        </message>
        <message>
            <location filename="../ui/folder_options.py" line="101" />
            <source>Augment</source>
            <translation>数据增强</translation>
        </message>
        <message>
            <location filename="../ui/folder_options.py" line="104" />
            <source>Add slightly shifted, turned and mirrored copies of each training image (validation stays as it is)</source>
            <translation>为每张训练图像添加略微平移、旋转和镜像的副本（验证集保持不变）</translation>
        </message>
        <message>
            <location filename="../ui/folder_options.py" line="109" />
            <source>Image size</source>
            <translation>图像尺寸</translation>
        </message>
        <message>
            <location filename="../ui/folder_options.py" line="113" />
            <source>Validation</source>
            <translation>验证集</translation>
        </message>
    </context>
    <context>
        <name>GradientsView</name>
        <message>
            <location filename="../ui/views/gradients.py" line="52" />
            <source>gradient norm (log scale)</source>
            <translation>梯度范数(对数坐标)</translation>
        </message>
        <message>
            <location filename="../ui/views/gradients.py" line="53" />
            <location filename="../ui/views/gradients.py" line="65" />
            <source>training step</source>
            <translation>训练步</translation>
        </message>
        <message>
            <location filename="../ui/views/gradients.py" line="58" />
            <source>latest gradient norm per layer</source>
            <translation>各层最新的梯度范数</translation>
        </message>
        <message>
            <location filename="../ui/views/gradients.py" line="64" />
            <source>log10 gradient norm: layer x time</source>
            <translation>log10 梯度范数：层 × 时间</translation>
        </message>
        <message>
            <location filename="../ui/views/gradients.py" line="213" />
            <source>The early layers are barely learning: the first layer's gradient is {ratio} of the last layer's (under 1/100). This is the vanishing-gradient problem: each Sigmoid or Tanh layer shrinks the gradient on its way back. Cures: ReLU activations, He initialisation, BatchNorm, residual connections.</source>
            <translation>前面的层几乎没有在学习：第一层的梯度只有最后一层的 {ratio}(不到 1/100)。这就是梯度消失问题：梯度在反向传播时每经过一个 Sigmoid 或 Tanh 层都会变小。解决办法：ReLU 激活函数、He 初始化、批归一化(BatchNorm)、残差连接。</translation>
        </message>
        <message>
            <location filename="../ui/views/gradients.py" line="221" />
            <source>The gradients are exploding: their norms keep growing, so every step throws the weights further off. Lower the learning rate, or clip the gradients (gradient clipping in the training settings).</source>
            <translation>梯度爆炸了：梯度范数不断增大，每一步都让权重偏离得更远。请降低学习率，或裁剪梯度(在训练设置中打开梯度裁剪)。</translation>
        </message>
    </context>
    <context>
        <name>HiddenStateView</name>
        <message>
            <location filename="../ui/views/hidden_state.py" line="45" />
            <source>unit</source>
            <translation>单元</translation>
        </message>
        <message>
            <location filename="../ui/views/hidden_state.py" line="46" />
            <source>time step</source>
            <translation>时间步</translation>
        </message>
        <message>
            <location filename="../ui/views/hidden_state.py" line="53" />
            <source>The hidden state appears while a network with an RNN, LSTM or GRU trains (try the preset lstm-sine).</source>
            <translation>含有 RNN、LSTM 或 GRU 的网络训练时，这里会显示隐藏状态(可试试预设 lstm-sine)。</translation>
        </message>
        <message>
            <location filename="../ui/views/hidden_state.py" line="60" />
            <source>Layer</source>
            <translation>层</translation>
        </message>
    </context>
    <context>
        <name>InputPreview</name>
        <message>
            <location filename="../ui/predict_widgets.py" line="127" />
            <source>What the model sees: your drawing cropped, scaled to fit 20x20 and centred by its centre of mass in 28x28, like the MNIST digits</source>
            <translation>模型看到的图像：你的手写经过裁剪，缩放到 20x20 以内，再按质心居中放入 28x28，与 MNIST 数字的处理方式相同</translation>
        </message>
    </context>
    <context>
        <name>LabControls</name>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="45" />
            <source>Units per layer, inputs first, e.g. 2-2-2 (up to 4 layers of up to 8 units). Press Enter: new random weights.</source>
            <translation>每层的单元数，从输入层开始，例如 2-2-2(最多 4 层，每层最多 8 个单元)。按回车：生成新的随机权重。</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="52" />
            <source>sigmoid</source>
            <translation>sigmoid</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="53" />
            <source>tanh</source>
            <translation>tanh</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="54" />
            <source>ReLU</source>
            <translation>ReLU</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="55" />
            <source>none (linear)</source>
            <translation>无(线性)</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="57" />
            <source>Activation of every layer: out = f(net)</source>
            <translation>每一层的激活函数：out = f(net)</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="62" />
            <source>½ Σ (target − out)²</source>
            <translation>½ Σ (target − out)²</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="63" />
            <source>mean (target − out)² (MSE)</source>
            <translation>mean (target − out)²(均方误差)</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="65" />
            <source>The error E that training makes smaller</source>
            <translation>训练要减小的误差 E</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="70" />
            <source>one per layer</source>
            <translation>每层一个</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="71" />
            <source>one per unit</source>
            <translation>每个单元一个</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="72" />
            <source>no biases</source>
            <translation>无偏置</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="74" />
            <source>Textbook examples share one bias per layer</source>
            <translation>教科书示例中每层共享一个偏置</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="76" />
            <source>biases train</source>
            <translation>训练偏置</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="80" />
            <source>Off: the biases keep their values (Mazur's example); their gradient is still shown</source>
            <translation>关闭时：偏置保持原值(与 Mazur 的示例相同)；仍会显示它们的梯度</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="89" />
            <source>Learning rate η in w ← w − η·dE/dw</source>
            <translation>学习率 η，用于 w ← w − η·dE/dw</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="90" />
            <source>label every edge</source>
            <translation>标注每条边</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="94" />
            <source>Off: only the selected edge is labelled (hover an edge for its numbers)</source>
            <translation>关闭时：只标注选中的边(鼠标悬停在边上可查看数值)</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="100" />
            <source>Layers</source>
            <translation>层</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="101" />
            <source>Activation</source>
            <translation>激活函数</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="102" />
            <source>Loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="105" />
            <source>Bias</source>
            <translation>偏置</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="107" />
            <source>Learning rate</source>
            <translation>学习率</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="134" />
            <source>1 Forward</source>
            <translation>1 前向传播</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="135" />
            <source>Compute every unit's net input and output</source>
            <translation>计算每个单元的净输入和输出</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="139" />
            <source>2 Backward</source>
            <translation>2 反向传播</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="140" />
            <source>Compute dE/dw for every weight by the chain rule</source>
            <translation>用链式法则计算每个权重的 dE/dw</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="144" />
            <source>3 Update</source>
            <translation>3 更新</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="145" />
            <source>w ← w − η·dE/dw for every weight that trains</source>
            <translation>对每个可训练的权重执行 w ← w − η·dE/dw</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="160" />
            <source>How many training steps Run takes</source>
            <translation>“运行”执行的训练步数</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="161" />
            <location filename="../ui/views/backprop_controls.py" line="197" />
            <source>Run N steps</source>
            <translation>运行 N 步</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="165" />
            <source>Repeat forward, backward and update N times and watch the outputs approach the targets</source>
            <translation>重复前向传播、反向传播和更新 N 次，观察输出逐渐接近目标</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="169" />
            <source>Reset</source>
            <translation>重置</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="172" />
            <source>Back to the network and weights it opened with</source>
            <translation>恢复到打开时的网络和权重</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="174" />
            <source>N</source>
            <translation>N</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_controls.py" line="197" />
            <source>Stop</source>
            <translation>停止</translation>
        </message>
    </context>
    <context>
        <name>LabTables</name>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="55" />
            <location filename="../ui/views/backprop_tables.py" line="61" />
            <source>Value</source>
            <translation>值</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="55" />
            <source>Number</source>
            <translation>数量</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="59" />
            <source>Weight</source>
            <translation>权重</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="60" />
            <source>From → to</source>
            <translation>从 → 到</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="62" />
            <source>dE/dw</source>
            <translation>dE/dw</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="63" />
            <source>Before update</source>
            <translation>更新前</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="67" />
            <source>Unit</source>
            <translation>单元</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="67" />
            <source>net</source>
            <translation>net</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="67" />
            <location filename="../ui/views/backprop_tables.py" line="71" />
            <source>out</source>
            <translation>out</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="71" />
            <source>Output</source>
            <translation>输出</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="71" />
            <source>target</source>
            <translation>目标</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="71" />
            <source>error</source>
            <translation>误差</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="75" />
            <source>E</source>
            <translation>E</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="76" />
            <source>step</source>
            <translation>步数</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="80" />
            <source>Worked step</source>
            <translation>计算步骤</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="81" />
            <source>Weights</source>
            <translation>权重</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="82" />
            <source>Inputs and targets</source>
            <translation>输入和目标</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="83" />
            <source>Loss curve</source>
            <translation>损失曲线</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="91" />
            <source>&lt;b&gt;Forward&lt;/b&gt;: net = Σ w·in + b, out = f(net)</source>
            <translation>&lt;b&gt;前向传播&lt;/b&gt;：net = Σ w·in + b，out = f(net)</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="96" />
            <source>&lt;b&gt;Loss&lt;/b&gt;: each output's error and the total E</source>
            <translation>&lt;b&gt;损失&lt;/b&gt;：每个输出的误差以及总误差 E</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="126" />
            <source>target o{0}</source>
            <translation>目标 o{0}</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="145" />
            <source>bias</source>
            <translation>偏置</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_tables.py" line="183" />
            <source>E total</source>
            <translation>E 总计</translation>
        </message>
    </context>
    <context>
        <name>LayerEditor</name>
        <message>
            <location filename="../ui/layer_editor.py" line="216" />
            <source>No layer selected</source>
            <translation>未选中层</translation>
        </message>
        <message>
            <location filename="../ui/layer_editor.py" line="218" />
            <source>Select a card in the network to edit its parameters.</source>
            <translation>在网络中选中一张卡片即可编辑它的参数。</translation>
        </message>
        <message>
            <location filename="../ui/layer_editor.py" line="311" />
            <source>Frozen</source>
            <translation>冻结</translation>
        </message>
        <message>
            <location filename="../ui/layer_editor.py" line="314" />
            <source>A frozen layer keeps its weights: training leaves it unchanged. Freeze a pretrained body and train only a new head.</source>
            <translation>冻结的层保持其权重不变：训练不会改变它。可以冻结预训练的主体，只训练新的输出头。</translation>
        </message>
        <message>
            <location filename="../ui/layer_editor.py" line="321" />
            <source>This layer learns at the learning rate times this factor (1 = as the others, 0.1 = ten times slower)</source>
            <translation>这一层的学习率 = 学习率 × 这个倍数(1 = 与其他层相同，0.1 = 慢十倍)</translation>
        </message>
        <message>
            <location filename="../ui/layer_editor.py" line="324" />
            <source>Training</source>
            <translation>训练</translation>
        </message>
        <message>
            <location filename="../ui/layer_editor.py" line="325" />
            <source>lr factor</source>
            <translation>学习率倍数</translation>
        </message>
        <message>
            <location filename="../ui/layer_editor.py" line="349" />
            <source>Stage</source>
            <translation>阶段</translation>
        </message>
        <message>
            <location filename="../ui/layer_editor.py" line="349" />
            <source>Output</source>
            <translation>输出</translation>
        </message>
        <message>
            <location filename="../ui/layer_editor.py" line="349" />
            <source>Parameters</source>
            <translation>参数</translation>
        </message>
        <message>
            <location filename="../ui/layer_editor.py" line="369" />
            <source>{title}: {n} stages</source>
            <translation>{title}：{n} 个阶段</translation>
        </message>
    </context>
    <context>
        <name>LayerPalette</name>
        <message>
            <location filename="../ui/palette.py" line="48" />
            <source>Drag a layer into the network (or double-click it).</source>
            <translation>把层拖进网络(或双击它)。</translation>
        </message>
        <message>
            <location filename="../ui/palette.py" line="54" />
            <source>Dense</source>
            <translation>全连接</translation>
        </message>
        <message>
            <location filename="../ui/palette.py" line="55" />
            <source>Convolution</source>
            <translation>卷积</translation>
        </message>
        <message>
            <location filename="../ui/palette.py" line="56" />
            <source>Pooling</source>
            <translation>池化</translation>
        </message>
        <message>
            <location filename="../ui/palette.py" line="57" />
            <source>Activation</source>
            <translation>激活函数</translation>
        </message>
        <message>
            <location filename="../ui/palette.py" line="58" />
            <source>Regularization</source>
            <translation>正则化</translation>
        </message>
        <message>
            <location filename="../ui/palette.py" line="59" />
            <source>Normalization</source>
            <translation>归一化</translation>
        </message>
        <message>
            <location filename="../ui/palette.py" line="60" />
            <source>Structure</source>
            <translation>结构</translation>
        </message>
        <message>
            <location filename="../ui/palette.py" line="61" />
            <source>Blocks</source>
            <translation>模块</translation>
        </message>
        <message>
            <location filename="../ui/palette.py" line="62" />
            <source>Pretrained</source>
            <translation>预训练</translation>
        </message>
        <message>
            <location filename="../ui/palette.py" line="63" />
            <source>Sequence</source>
            <translation>序列</translation>
        </message>
        <message>
            <location filename="../ui/palette.py" line="64" />
            <source>Recurrent</source>
            <translation>循环</translation>
        </message>
        <message>
            <location filename="../ui/palette.py" line="65" />
            <source>Attention</source>
            <translation>注意力</translation>
        </message>
    </context>
    <context>
        <name>LearnMoreDialog</name>
        <message>
            <location filename="../ui/learn_more.py" line="194" />
            <source>Learn More</source>
            <translation>了解更多</translation>
        </message>
    </context>
    <context>
        <name>LearnMorePanel</name>
        <message>
            <location filename="../ui/learn_more.py" line="116" />
            <source>Try it</source>
            <translation>动手试试</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="120" />
            <source>Run the experiment</source>
            <translation>运行实验</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="123" />
            <source>Loads the experiment into the studio and trains it</source>
            <translation>把实验加载到工作室并开始训练</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="140" />
            <source>What it computes</source>
            <translation>计算内容</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="141" />
            <source>When to use it</source>
            <translation>何时使用</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="176" />
            <source>{a} vs {b}</source>
            <translation>{a} 对比 {b}</translation>
        </message>
        <message>
            <location filename="../ui/learn_more.py" line="178" />
            <source>Runs: {runs}</source>
            <translation>训练方案：{runs}</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../ui/main_window.py" line="73" />
            <source>Loading PyTorch…</source>
            <translation>正在加载 PyTorch…</translation>
        </message>
        <message>
            <location filename="../ui/main_window.py" line="116" />
            <source>Ready</source>
            <translation>就绪</translation>
        </message>
        <message>
            <location filename="../ui/main_window.py" line="134" />
            <source>Curves</source>
            <translation>曲线</translation>
        </message>
        <message>
            <location filename="../ui/main_window.py" line="209" />
            <source>Predict</source>
            <translation>预测</translation>
        </message>
        <message>
            <location filename="../ui/main_window.py" line="235" />
            <source>Backprop lab</source>
            <translation>反向传播实验室</translation>
        </message>
        <message>
            <location filename="../ui/main_window.py" line="278" />
            <source>Stop the training before importing weights.</source>
            <translation>请先停止训练，再导入权重。</translation>
        </message>
        <message>
            <location filename="../ui/main_window.py" line="284" />
            <source>Import weights</source>
            <translation>导入权重</translation>
        </message>
        <message>
            <location filename="../ui/main_window.py" line="286" />
            <source>Weights (*.pt *.pth *.safetensors)</source>
            <translation>权重 (*.pt *.pth *.safetensors)</translation>
        </message>
        <message>
            <location filename="../ui/main_window.py" line="298" />
            <source>Imported the weights of {name}.</source>
            <translation>已导入 {name} 的权重。</translation>
        </message>
        <message>
            <location filename="../ui/main_window.py" line="307" />
            <source>Stop the training before loading a preset.</source>
            <translation>请先停止训练，再加载预设。</translation>
        </message>
        <message>
            <location filename="../ui/main_window.py" line="328" />
            <source>Autosave failed: {reason}. Your work is still open; save it with File &gt; Save.</source>
            <translation>自动保存失败：{reason}。你的工作仍然打开着，请用“文件 &gt; 保存”保存它。</translation>
        </message>
        <message>
            <location filename="../ui/main_window.py" line="338" />
            <source>Retry</source>
            <translation>重试</translation>
        </message>
    </context>
    <context>
        <name>MessageBar</name>
        <message>
            <location filename="../ui/messages.py" line="153" />
            <source>Hide this message</source>
            <translation>隐藏此消息</translation>
        </message>
    </context>
    <context>
        <name>NetworkEditor</name>
        <message>
            <location filename="../ui/stack_view.py" line="245" />
            <source>The network, input at the top. Drag layers here from the palette, drag cards to reorder them, Delete removes the selected one, Ctrl+D duplicates it.</source>
            <translation>网络，输入在最上方。从层面板把层拖到这里，拖动卡片可调整顺序，Delete 删除选中的层，Ctrl+D 复制它。</translation>
        </message>
    </context>
    <context>
        <name>NetworkPanel</name>
        <message>
            <location filename="../ui/stack_view.py" line="359" />
            <source>The shape of one sample of the dataset; it changes with the dataset.</source>
            <translation>数据集中单个样本的形状；随数据集变化。</translation>
        </message>
        <message>
            <location filename="../ui/stack_view.py" line="365" />
            <source>Weights and biases the optimizer adjusts.</source>
            <translation>由优化器调整的权重和偏置。</translation>
        </message>
        <message>
            <location filename="../ui/stack_view.py" line="405" />
            <source>&amp;Delete Layer</source>
            <translation>删除层(&amp;D)</translation>
        </message>
        <message>
            <location filename="../ui/stack_view.py" line="410" />
            <source>D&amp;uplicate Layer</source>
            <translation>复制层(&amp;U)</translation>
        </message>
        <message>
            <location filename="../ui/stack_view.py" line="415" />
            <source>Move Layer &amp;Up</source>
            <translation>上移层(&amp;U)</translation>
        </message>
        <message>
            <location filename="../ui/stack_view.py" line="420" />
            <source>Apply the Suggested &amp;Fix</source>
            <translation>应用建议的修正(&amp;F)</translation>
        </message>
        <message>
            <location filename="../ui/stack_view.py" line="425" />
            <source>Move Layer Do&amp;wn</source>
            <translation>下移层(&amp;W)</translation>
        </message>
        <message>
            <location filename="../ui/stack_view.py" line="443" />
            <source>&amp;Undo</source>
            <translation>撤销(&amp;U)</translation>
        </message>
        <message>
            <location filename="../ui/stack_view.py" line="445" />
            <source>&amp;Redo</source>
            <translation>重做(&amp;R)</translation>
        </message>
        <message>
            <location filename="../ui/stack_view.py" line="454" />
            <source>&amp;Insert Layer</source>
            <translation>插入层(&amp;I)</translation>
        </message>
        <message>
            <location filename="../ui/stack_view.py" line="480" />
            <source>{t} trainable, {f} frozen</source>
            <translation>{t} 个可训练，{f} 个冻结</translation>
        </message>
        <message>
            <location filename="../ui/stack_view.py" line="486" />
            <source>Input  {shape}   ({dataset})</source>
            <translation>输入  {shape}   ({dataset})</translation>
        </message>
        <message>
            <location filename="../ui/stack_view.py" line="494" />
            <source>Total  {n} parameters</source>
            <translation>共  {n} 个参数</translation>
        </message>
        <message>
            <location filename="../ui/stack_view.py" line="497" />
            <source>Total  – (the network has a problem)</source>
            <translation>共  –(网络有问题)</translation>
        </message>
    </context>
    <context>
        <name>PalettePanel</name>
        <message>
            <location filename="../ui/palette.py" line="199" />
            <source>Search layers…</source>
            <translation>搜索层…</translation>
        </message>
        <message>
            <location filename="../ui/palette.py" line="201" />
            <source>Type part of a name or of what a layer does.</source>
            <translation>输入层名称或其功能描述中的部分文字。</translation>
        </message>
    </context>
    <context>
        <name>PredictPanel</name>
        <message>
            <location filename="../ui/predict_panel.py" line="226" />
            <source>Time from the drawing to the answer</source>
            <translation>从书写到给出答案所用的时间</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="235" />
            <source>What the model sees</source>
            <translation>模型看到的图像</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="240" />
            <source>Show feature maps</source>
            <translation>显示特征图</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="241" />
            <source>See what each convolution layer makes of this input</source>
            <translation>查看每个卷积层对这个输入的响应</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="279" />
            <source>Pen width for the next strokes</source>
            <translation>后续笔画的笔宽</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="284" />
            <source>Pen</source>
            <translation>笔宽</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="293" />
            <source>Undo stroke</source>
            <translation>撤销笔画</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="294" />
            <source>Remove the last stroke (Ctrl+Z while drawing)</source>
            <translation>删除上一笔(书写时按 Ctrl+Z)</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="299" />
            <source>Clear</source>
            <translation>清空</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="300" />
            <source>Start again on a blank canvas (Delete while drawing)</source>
            <translation>清空画布重新开始(书写时按 Delete)</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="305" />
            <source>Open image…</source>
            <translation>打开图片…</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="306" />
            <source>Predict a PNG, JPEG or BMP file (or drop one here)</source>
            <translation>预测一个 PNG、JPEG 或 BMP 文件(也可以拖放到这里)</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="361" />
            <source>Prediction for {0}: {1}</source>
            <translation>{0} 的预测：{1}</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="364" />
            <source>The model says: {0}</source>
            <translation>模型的答案：{0}</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="366" />
            <source>answered in {0:.1f} ms</source>
            <translation>用时 {0:.1f} 毫秒</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="403" />
            <source>Draw a digit on the canvas (or open an image): the model guesses as you draw.</source>
            <translation>在画布上写一个数字(或打开一张图片)：你一边写，模型一边猜。</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="407" />
            <source>Draw something on the canvas or open an image: the model guesses as you draw.</source>
            <translation>在画布上画点什么或打开一张图片：你一边画，模型一边猜。</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="413" />
            <source>Draw here</source>
            <translation>在这里书写</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="414" />
            <source>Draw a digit here</source>
            <translation>在这里写一个数字</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="422" />
            <source>Train a model first: the prediction appears here once a model has been trained.</source>
            <translation>请先训练模型：模型训练好后，预测会显示在这里。</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="442" />
            <source>{0} px</source>
            <translation>{0} 像素</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="456" />
            <source>Open image</source>
            <translation>打开图片</translation>
        </message>
        <message>
            <location filename="../ui/predict_panel.py" line="459" />
            <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;All files (*)</source>
            <translation>图片 (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;所有文件 (*)</translation>
        </message>
    </context>
    <context>
        <name>PredictionBars</name>
        <message>
            <location filename="../ui/predict_widgets.py" line="30" />
            <source>The model's probability for every class (softmax of its outputs)</source>
            <translation>模型给出的每个类别的概率(对输出做 softmax)</translation>
        </message>
    </context>
    <context>
        <name>PreferencesDialog</name>
        <message>
            <location filename="../ui/preferences.py" line="141" />
            <source>Preferences</source>
            <translation>首选项</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="144" />
            <source>System language</source>
            <translation>跟随系统语言</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="150" />
            <source>System</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="151" />
            <source>Light</source>
            <translation>浅色</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="152" />
            <source>Dark</source>
            <translation>深色</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="169" />
            <source>The language of menus, messages, layers, presets and datasets.</source>
            <translation>菜单、消息、层、预设和数据集所用的语言。</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="171" />
            <source>Light or dark colours for the window.</source>
            <translation>窗口使用浅色还是深色。</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="172" />
            <source>A new language takes effect after a restart.</source>
            <translation>更改语言后需重新启动才能生效。</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="176" />
            <source>&amp;Language:</source>
            <translation>语言(&amp;L)：</translation>
        </message>
        <message>
            <location filename="../ui/preferences.py" line="177" />
            <source>&amp;Theme:</source>
            <translation>主题(&amp;T)：</translation>
        </message>
    </context>
    <context>
        <name>RunControls</name>
        <message>
            <location filename="../ui/run_controls.py" line="86" />
            <source>Train</source>
            <translation>训练</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="88" />
            <location filename="../ui/run_controls.py" line="252" />
            <location filename="../ui/run_controls.py" line="270" />
            <source>Pause</source>
            <translation>暂停</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="92" />
            <source>Pause after this batch; click again to go on (F6)</source>
            <translation>在本批次后暂停；再次点击继续(F6)</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="94" />
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="97" />
            <source>Stop after this batch and keep the weights (Shift+F5)</source>
            <translation>在本批次后停止并保留权重(Shift+F5)</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="104" />
            <source>Not trained yet</source>
            <translation>尚未训练</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="112" />
            <location filename="../ui/run_controls.py" line="261" />
            <source>Ready</source>
            <translation>就绪</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="133" />
            <location filename="../ui/run_controls.py" line="277" />
            <source>Device: {d}</source>
            <translation>设备：{d}</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="148" />
            <source>Not trained yet: the last run was of another network or data</source>
            <translation>尚未训练：上一次训练的是另一个网络或另一份数据</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="175" />
            <source>Train the network from fresh weights (F5)</source>
            <translation>从新的初始权重开始训练网络(F5)</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="205" />
            <source>Starting…</source>
            <translation>正在启动…</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="222" />
            <source>&amp;Train</source>
            <translation>训练(&amp;T)</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="225" />
            <source>&amp;Pause / Resume</source>
            <translation>暂停 / 继续(&amp;P)</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="231" />
            <source>&amp;Stop</source>
            <translation>停止(&amp;S)</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="234" />
            <source>&amp;Forget Trained Weights</source>
            <translation>丢弃已训练的权重(&amp;F)</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="237" />
            <source>The next run and Predict start from untrained weights</source>
            <translation>下一次训练和预测都将从未训练的权重开始</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="252" />
            <source>Resume</source>
            <translation>继续</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="262" />
            <source>Training</source>
            <translation>训练</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="263" />
            <source>Paused</source>
            <translation>已暂停</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="264" />
            <source>Stopping…</source>
            <translation>正在停止…</translation>
        </message>
        <message>
            <location filename="../ui/run_controls.py" line="295" />
            <source>epoch {e}/{n} · {s} samples/s · ETA {t}</source>
            <translation>第 {e}/{n} 轮 · {s} 样本/秒 · 剩余 {t}</translation>
        </message>
    </context>
    <context>
        <name>RunsView</name>
        <message>
            <location filename="../ui/views/runs_view.py" line="71" />
            <source>Compare…</source>
            <translation>对比…</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="73" />
            <source>Train again with one setting changed, same seed</source>
            <translation>只改一项设置、用相同随机种子再训练一次</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="79" />
            <source>Export report…</source>
            <translation>导出报告…</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="82" />
            <source>also TensorBoard files</source>
            <translation>同时导出 TensorBoard 文件</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="89" />
            <source>Runs (tick to overlay):</source>
            <translation>训练记录(勾选以叠加显示)：</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="105" />
            <source>training loss</source>
            <translation>训练损失</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="106" />
            <source>validation accuracy</source>
            <translation>验证准确率</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="109" />
            <source>gradient norm: first (solid) and last (dashed) layer</source>
            <translation>梯度范数：第一层(实线)和最后一层(虚线)</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="129" />
            <source>epochs</source>
            <translation>轮次</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="222" />
            <source> (running)</source>
            <translation>(训练中)</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="296" />
            <location filename="../ui/views/runs_view.py" line="300" />
            <source>What differs: {d}</source>
            <translation>不同之处：{d}</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="301" />
            <source>Tick two runs to compare them.</source>
            <translation>勾选两次训练即可对比。</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="387" />
            <source>Export the run to</source>
            <translation>把训练记录导出到</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="395" />
            <source>Train a run first.</source>
            <translation>请先训练一次。</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="399" />
            <source>Runs compared</source>
            <translation>训练对比</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="401" />
            <source>Report written to {p}</source>
            <translation>报告已写入 {p}</translation>
        </message>
        <message>
            <location filename="../ui/views/runs_view.py" line="408" />
            <source>TensorBoard files in {p}</source>
            <translation>TensorBoard 文件位于 {p}</translation>
        </message>
    </context>
    <context>
        <name>SampleChooser</name>
        <message>
            <location filename="../ui/views/sequence_sample.py" line="31" />
            <source>Validation sample</source>
            <translation>验证样本</translation>
        </message>
    </context>
    <context>
        <name>SequenceInput</name>
        <message>
            <location filename="../ui/sequence_input.py" line="50" />
            <source>Predict</source>
            <translation>预测</translation>
        </message>
        <message>
            <location filename="../ui/sequence_input.py" line="61" />
            <source>attention of the last attention layer (heads averaged)</source>
            <translation>最后一个注意力层的注意力(各头平均)</translation>
        </message>
        <message>
            <location filename="../ui/sequence_input.py" line="63" />
            <source>query</source>
            <translation>查询</translation>
        </message>
        <message>
            <location filename="../ui/sequence_input.py" line="64" />
            <source>key</source>
            <translation>键</translation>
        </message>
        <message>
            <location filename="../ui/sequence_input.py" line="76" />
            <source>Type a sequence (numbers separated by spaces or commas):</source>
            <translation>输入一个序列(用空格或逗号分隔的数字)：</translation>
        </message>
        <message>
            <location filename="../ui/sequence_input.py" line="96" />
            <source>{n} token ids from 0 to {top}, e.g. {example}</source>
            <translation>{n} 个 0 到 {top} 的词元编号，例如 {example}</translation>
        </message>
        <message>
            <location filename="../ui/sequence_input.py" line="100" />
            <source>{n} numbers ({shape})</source>
            <translation>{n} 个数({shape})</translation>
        </message>
        <message>
            <location filename="../ui/sequence_input.py" line="102" />
            <source>Type a sequence and press Enter.</source>
            <translation>输入一个序列后按回车。</translation>
        </message>
        <message>
            <location filename="../ui/sequence_input.py" line="126" />
            <source>Output tokens: {tokens}</source>
            <translation>输出词元：{tokens}</translation>
        </message>
        <message>
            <location filename="../ui/sequence_input.py" line="128" />
            <source>Prediction: {value:.4g}</source>
            <translation>预测：{value:.4g}</translation>
        </message>
        <message>
            <location filename="../ui/sequence_input.py" line="130" />
            <source>Prediction: {label} ({p:.0%})</source>
            <translation>预测：{label}({p:.0%})</translation>
        </message>
    </context>
    <context>
        <name>Stamped</name>
        <message>
            <location filename="../ui/provenance.py" line="36" />
            <source>This result belongs to the previous network or data, not to the one in the editor now. Train again to update it.</source>
            <translation>这个结果属于之前的网络或数据，而不是编辑器中现在的网络。请重新训练以更新它。</translation>
        </message>
    </context>
    <context>
        <name>StepControls</name>
        <message>
            <location filename="../ui/step_controls.py" line="43" />
            <source>Step</source>
            <translation>单步</translation>
        </message>
        <message>
            <location filename="../ui/step_controls.py" line="46" />
            <source>While paused: run exactly one batch and show its numbers (F10)</source>
            <translation>暂停时：只运行一个批次并显示它的数值（F10）</translation>
        </message>
        <message>
            <location filename="../ui/step_controls.py" line="54" />
            <source>Go on from the trained weights with the current settings; Train starts from scratch</source>
            <translation>用当前设置从已训练的权重继续；“训练”则从头开始</translation>
        </message>
        <message>
            <location filename="../ui/step_controls.py" line="85" />
            <source>S&amp;tep One Batch</source>
            <translation>单步运行一个批次(&amp;T)</translation>
        </message>
        <message>
            <location filename="../ui/step_controls.py" line="87" />
            <source>Train &amp;More Epochs</source>
            <translation>继续训练更多轮(&amp;M)</translation>
        </message>
        <message>
            <location filename="../ui/step_controls.py" line="95" />
            <source>Train {n} more epochs</source>
            <translation>再训练 {n} 轮</translation>
        </message>
    </context>
    <context>
        <name>StepTable</name>
        <message>
            <location filename="../ui/step_table.py" line="37" />
            <source>layer</source>
            <translation>层</translation>
        </message>
        <message>
            <location filename="../ui/step_table.py" line="37" />
            <source>gradient norm</source>
            <translation>梯度范数</translation>
        </message>
        <message>
            <location filename="../ui/step_table.py" line="37" />
            <source>lr × gradient</source>
            <translation>学习率 × 梯度</translation>
        </message>
        <message>
            <location filename="../ui/step_table.py" line="38" />
            <source>weight change</source>
            <translation>权重变化</translation>
        </message>
        <message>
            <location filename="../ui/step_table.py" line="44" />
            <source>lr × gradient is the step plain SGD takes; the weight change is what the optimizer really did (momentum and Adam differ)</source>
            <translation>学习率 × 梯度是普通 SGD 走的一步；权重变化是优化器实际做的（动量和 Adam 会不同）</translation>
        </message>
        <message>
            <location filename="../ui/step_table.py" line="56" />
            <source>Step {s}: batch {b} of epoch {e} ({n} samples), loss {l}, lr {lr}</source>
            <translation>第 {s} 步：第 {e} 轮的第 {b} 个批次（{n} 个样本），损失 {l}，学习率 {lr}</translation>
        </message>
    </context>
    <context>
        <name>ThroughTimeView</name>
        <message>
            <location filename="../ui/views/through_time.py" line="54" />
            <source>gradient norm at the input (log scale)</source>
            <translation>输入处的梯度范数(对数刻度)</translation>
        </message>
        <message>
            <location filename="../ui/views/through_time.py" line="55" />
            <source>time step (first step on the left)</source>
            <translation>时间步(第一步在左边)</translation>
        </message>
        <message>
            <location filename="../ui/views/through_time.py" line="62" />
            <source>previous run</source>
            <translation>上一次训练</translation>
        </message>
        <message>
            <location filename="../ui/views/through_time.py" line="68" />
            <source>this run</source>
            <translation>本次训练</translation>
        </message>
        <message>
            <location filename="../ui/views/through_time.py" line="72" />
            <source>The gradient per time step appears while a recurrent or attention network trains (try the presets rnn-parity, then lstm-parity).</source>
            <translation>循环网络或注意力网络训练时，这里会显示每个时间步的梯度(可先试预设 rnn-parity，再试 lstm-parity)。</translation>
        </message>
        <message>
            <location filename="../ui/views/through_time.py" line="119" />
            <source>first steps / last step: {ratio:.2g}</source>
            <translation>前几步 / 最后一步：{ratio:.2g}</translation>
        </message>
        <message>
            <location filename="../ui/views/through_time.py" line="126" />
            <source>The gradient vanishes back through time: the first steps get {ratio} of what the last step gets (under 1/1000), so what the network sees early in the sequence can hardly change its answer. A plain RNN multiplies the gradient by its recurrent weights at every step; an LSTM or GRU carries it along its gated cell state instead.</source>
            <translation>梯度沿时间反向传播时消失了：前几步得到的梯度只有最后一步的 {ratio}(不到 1/1000)，所以网络在序列前面看到的内容几乎无法改变它的答案。普通 RNN 每一步都把梯度乘以循环权重；LSTM 或 GRU 则沿着带门控的细胞状态传递梯度。</translation>
        </message>
    </context>
    <context>
        <name>TrainingForm</name>
        <message>
            <location filename="../ui/training_form.py" line="76" />
            <source>Training</source>
            <translation>训练</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="82" />
            <source>Loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="83" />
            <source>Optimizer</source>
            <translation>优化器</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="84" />
            <source>Learning rate</source>
            <translation>学习率</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="85" />
            <source>Momentum</source>
            <translation>动量</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="86" />
            <source>Weight decay</source>
            <translation>权重衰减</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="87" />
            <source>Batch size</source>
            <translation>批大小</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="88" />
            <source>Epochs</source>
            <translation>轮数</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="89" />
            <source>LR schedule</source>
            <translation>学习率调度</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="90" />
            <source>Clip gradients</source>
            <translation>梯度裁剪</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="91" />
            <source>Early stopping</source>
            <translation>提前停止</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="92" />
            <source>Weight init</source>
            <translation>权重初始化</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="93" />
            <source>Device</source>
            <translation>设备</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="94" />
            <source>Seed</source>
            <translation>随机种子</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="95" />
            <source>Train samples</source>
            <translation>训练样本数</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="106" />
            <source>What the network minimises: how wrong its outputs are.</source>
            <translation>网络要最小化的量：衡量输出错得有多离谱。</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="111" />
            <source>How the weights move downhill on the loss.</source>
            <translation>权重如何沿损失下坡移动。</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="117" />
            <source>How the weights start before training (default: PyTorch's own).</source>
            <translation>训练开始前权重的初始值(default：PyTorch 自带的初始化)。</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="124" />
            <source>How the learning rate changes: constant, step decay or cosine.</source>
            <translation>学习率如何变化：保持不变、阶梯衰减或余弦退火。</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="131" />
            <source>Where the training runs: the CPU or a GPU.</source>
            <translation>在哪里训练：CPU 还是 GPU。</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="135" />
            <source>Learning rate: the size of each step (e.g. 0.01).</source>
            <translation>学习率：每一步的步长(例如 0.01)。</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="136" />
            <source>Keeps a share of the previous step (SGD, RMSprop).</source>
            <translation>保留上一步的一部分(SGD、RMSprop)。</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="137" />
            <source>L2 penalty pulling weights towards zero.</source>
            <translation>把权重拉向零的 L2 惩罚。</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="138" />
            <source>Samples per step.</source>
            <translation>每一步使用的样本数。</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="139" />
            <source>Passes over the whole training set.</source>
            <translation>遍历整个训练集的次数。</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="140" />
            <source>Same seed, same run: initial weights and batch order.</source>
            <translation>种子相同，训练过程就相同：初始权重和批次顺序都一样。</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="141" />
            <source>Scale gradients down to this norm (0 = off).</source>
            <translation>把梯度缩小到不超过这个范数(0 表示关闭)。</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="143" />
            <source>Stop after this many epochs without a better validation loss (0 = off).</source>
            <translation>验证损失连续这么多轮没有改善就停止训练(0 表示关闭)。</translation>
        </message>
        <message>
            <location filename="../ui/training_form.py" line="147" />
            <source>Train on the first N training samples only (0 = all): a small training set overfits in seconds, on purpose.</source>
            <translation>只用前 N 个训练样本训练（0 = 全部）：训练集小，几秒钟就会过拟合，这是有意的。</translation>
        </message>
    </context>
    <context>
        <name>TrainingPanel</name>
        <message>
            <location filename="../ui/training_panel.py" line="65" />
            <source>Use a &amp;Data Folder…</source>
            <translation>使用数据文件夹(&amp;D)…</translation>
        </message>
    </context>
    <context>
        <name>WeightsView</name>
        <message>
            <location filename="../ui/views/weights.py" line="45" />
            <source>First convolution layer's filters</source>
            <translation>第一个卷积层的卷积核</translation>
        </message>
        <message>
            <location filename="../ui/views/weights.py" line="63" />
            <source>Weight histograms per layer: faint = early in training, bright = now.</source>
            <translation>各层的权重直方图：淡色 = 训练早期，亮色 = 当前。</translation>
        </message>
    </context>
    <context>
        <name>WindowLayout</name>
        <message>
            <location filename="../ui/window_layout.py" line="34" />
            <source>Layers</source>
            <translation>层</translation>
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="35" />
            <source>Network</source>
            <translation>网络</translation>
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="36" />
            <source>Properties</source>
            <translation>属性</translation>
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="37" />
            <source>Data and training</source>
            <translation>数据与训练</translation>
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="43" />
            <source>Loading PyTorch…</source>
            <translation>正在加载 PyTorch…</translation>
        </message>
    </context>
    <context>
        <name>WindowMenus</name>
        <message>
            <location filename="../ui/window_menus.py" line="35" />
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="36" />
            <source>&amp;Edit</source>
            <translation>编辑(&amp;E)</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="37" />
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="38" />
            <source>&amp;Presets</source>
            <translation>预设(&amp;P)</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="39" />
            <source>&amp;Train</source>
            <translation>训练(&amp;T)</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="40" />
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="72" />
            <source>&amp;Import Weights…</source>
            <translation>导入权重(&amp;I)…</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="75" />
            <source>Load trained weights (.pt, .pth or .safetensors) into this network</source>
            <translation>把训练好的权重（.pt、.pth 或 .safetensors）载入这个网络</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="92" />
            <source>Restore &amp;Default Layout</source>
            <translation>恢复默认布局(&amp;D)</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="97" />
            <source>&amp;Theme</source>
            <translation>主题(&amp;T)</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="99" />
            <source>System</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="100" />
            <source>Light</source>
            <translation>浅色</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="101" />
            <source>Dark</source>
            <translation>深色</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="112" />
            <source>&amp;Full Screen</source>
            <translation>全屏(&amp;F)</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="140" />
            <source>&amp;About nnstudio</source>
            <translation>关于 nnstudio(&amp;A)</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="157" />
            <source>About nnstudio</source>
            <translation>关于 nnstudio</translation>
        </message>
        <message>
            <location filename="../ui/window_menus.py" line="159" />
            <source>&lt;b&gt;nnstudio {v}&lt;/b&gt;&lt;p&gt;Build, train and look inside neural networks with real PyTorch.&lt;/p&gt;</source>
            <translation>&lt;b&gt;nnstudio {v}&lt;/b&gt;&lt;p&gt;用真正的 PyTorch 搭建、训练神经网络，并观察它的内部。&lt;/p&gt;</translation>
        </message>
    </context>
    <context>
        <name>WorkedText</name>
        <message>
            <location filename="../ui/views/backprop_worked.py" line="36" />
            <source>Press &lt;b&gt;2 Backward&lt;/b&gt;, then click an edge or a bias box to see its gradient worked out by the chain rule.</source>
            <translation>按 &lt;b&gt;2 反向传播&lt;/b&gt;，再点击一条边或一个偏置框，查看用链式法则逐步算出的梯度。</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_worked.py" line="59" />
            <source>where</source>
            <translation>其中</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_worked.py" line="63" />
            <source>autograd gives dE/d{0} = {1}</source>
            <translation>自动求导得到 dE/d{0} = {1}</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_worked.py" line="68" />
            <source>(this bias does not train: the update leaves it)</source>
            <translation>(这个偏置不参与训练：更新时保持不变)</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_worked.py" line="83" />
            <source>= out − target (from E = ½ Σ (target − out)²)</source>
            <translation>= out − target(由 E = ½ Σ (target − out)² 得到)</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_worked.py" line="85" />
            <source>= 2 (out − target) / n (from E = mean (target − out)²)</source>
            <translation>= 2 (out − target) / n(由 E = mean (target − out)² 得到)</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_worked.py" line="87" />
            <source>= Σ over the next layer of dE/dnet · w (see “where”)</source>
            <translation>= 对下一层求和 dE/dnet · w(见“其中”)</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_worked.py" line="88" />
            <source>= out (1 − out), the sigmoid's slope</source>
            <translation>= out (1 − out)，即 sigmoid 的斜率</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_worked.py" line="89" />
            <source>= 1 − out², the slope of tanh</source>
            <translation>= 1 − out²，即 tanh 的斜率</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_worked.py" line="90" />
            <source>= 1 if net &gt; 0, else 0 (ReLU)</source>
            <translation>= 1(若 net &gt; 0)，否则为 0(ReLU)</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_worked.py" line="91" />
            <source>= 1 (no activation)</source>
            <translation>= 1(无激活函数)</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_worked.py" line="92" />
            <source>= 1: the bias is added to net</source>
            <translation>= 1：偏置直接加到 net 上</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_worked.py" line="95" />
            <source>= out of {0}, the input this weight multiplies</source>
            <translation>= {0} 的 out，即这个权重所乘的输入</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_worked.py" line="115" />
            <source>{0} stays {1} (it does not train)</source>
            <translation>{0} 保持为 {1}(不参与训练)</translation>
        </message>
        <message>
            <location filename="../ui/views/backprop_worked.py" line="122" />
            <source>update (η = {0}):</source>
            <translation>更新(η = {0})：</translation>
        </message>
    </context>
    <context>
        <name>views</name>
        <message>
            <location filename="../ui/views/__init__.py" line="62" />
            <source>Gradients</source>
            <translation>梯度</translation>
        </message>
        <message>
            <location filename="../ui/views/__init__.py" line="63" />
            <source>Feature maps</source>
            <translation>特征图</translation>
        </message>
        <message>
            <location filename="../ui/views/__init__.py" line="64" />
            <source>Activations</source>
            <translation>激活值</translation>
        </message>
        <message>
            <location filename="../ui/views/__init__.py" line="65" />
            <source>Weights</source>
            <translation>权重</translation>
        </message>
        <message>
            <location filename="../ui/views/__init__.py" line="66" />
            <source>Decision boundary</source>
            <translation>决策边界</translation>
        </message>
        <message>
            <location filename="../ui/views/__init__.py" line="67" />
            <source>Evaluation</source>
            <translation>评估</translation>
        </message>
        <message>
            <location filename="../ui/views/__init__.py" line="68" />
            <source>Runs</source>
            <translation>训练记录</translation>
        </message>
        <message>
            <location filename="../ui/views/__init__.py" line="69" />
            <source>Attention</source>
            <translation>注意力</translation>
        </message>
        <message>
            <location filename="../ui/views/__init__.py" line="70" />
            <source>Through time</source>
            <translation>随时间</translation>
        </message>
        <message>
            <location filename="../ui/views/__init__.py" line="71" />
            <source>Hidden state</source>
            <translation>隐藏状态</translation>
        </message>
    </context>
</TS>
